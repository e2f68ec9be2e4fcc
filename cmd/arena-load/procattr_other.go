//go:build !linux

package main

import (
	"syscall"
	"time"
)

// childAttr: outside Linux the processes keep the default attributes.
func childAttr() *syscall.SysProcAttr { return nil }

// cpuTime is not measured outside Linux.
func cpuTime(pid int) time.Duration { return 0 }

// loadAvg is not measured outside Linux.
func loadAvg() string { return "" }
