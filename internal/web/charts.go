package web

import (
	"time"
)

// chart is a horizontal bar chart drawn as SVG, with the same numbers in
// a table beside it: the picture for those who see it, the table for
// screen readers and for exact values.
type chart struct {
	ID, Caption, Summary string
	Heads                []string // the table's column heads: the label's first
	Bars                 []bar
	Width, Height        int
	LabelWidth           int
	BarHeight            int
}

// bar is one bar and its table row.
type bar struct {
	Label   string
	Full    string   // the whole label, for the table
	Display string   // the value as written beside the bar
	Cells   []string // the table's cells after the label
	Value   float64
	Class   int // colour, 0–5

	Y, TextY, W, ValueX int
}

// Chart geometry, in SVG user units.
const (
	chartWidth      = 640
	chartLabelWidth = 230
	chartBarHeight  = 26
	chartGap        = 12
	chartValueRoom  = 130
)

// layout computes the bars' geometry from their values.
func (c *chart) layout() *chart {
	c.Width, c.LabelWidth, c.BarHeight = chartWidth, chartLabelWidth, chartBarHeight
	maxV := 0.0
	for _, b := range c.Bars {
		if b.Value > maxV {
			maxV = b.Value
		}
	}
	room := float64(chartWidth - chartLabelWidth - chartValueRoom)
	for i := range c.Bars {
		b := &c.Bars[i]
		b.Y = i*(chartBarHeight+chartGap) + chartGap/2
		b.TextY = b.Y + chartBarHeight/2
		if maxV > 0 {
			b.W = int(b.Value / maxV * room)
		}
		if b.Value > 0 && b.W < 2 {
			b.W = 2
		}
		b.ValueX = chartLabelWidth + b.W + 8
		b.Full = b.Label
		if len([]rune(b.Label)) > 30 {
			b.Label = string([]rune(b.Label)[:29]) + "…"
		}
	}
	c.Height = len(c.Bars)*(chartBarHeight+chartGap) + chartGap
	if c.Height < 40 {
		c.Height = 40
	}
	return c
}

// timeline places dated events on one axis, as SVG with a table beside.
type timeline struct {
	ID, Caption, Summary string
	Heads                []string
	Events               []event
	Width, Height        int
	AxisY                int
	StartLabel, EndLabel string
	EndX                 int
}

// event is one dated point and its table row.
type event struct {
	Date  time.Time
	Label string
	Full  string   // the whole label, for the table
	Cells []string // table cells after the label
	X, Y  int
	TextX int
}

// Timeline geometry.
const (
	timelineWidth  = 640
	timelineMargin = 20
	timelineRow    = 24
)

func (t *timeline) layout() *timeline {
	t.Width = timelineWidth
	t.EndX = timelineWidth - timelineMargin
	if len(t.Events) == 0 {
		t.Height = 40
		return t
	}
	first, last := t.Events[0].Date, t.Events[0].Date
	for _, e := range t.Events {
		if e.Date.Before(first) {
			first = e.Date
		}
		if e.Date.After(last) {
			last = e.Date
		}
	}
	span := last.Sub(first)
	inner := float64(timelineWidth - 2*timelineMargin)
	for i := range t.Events {
		e := &t.Events[i]
		x := timelineMargin + int(inner/2)
		if span > 0 {
			x = timelineMargin + int(float64(e.Date.Sub(first))/float64(span)*inner)
		}
		e.X = x
		e.Y = timelineRow*(i+1) + 8
		e.TextX = x + 10
		e.Full = e.Label
		if x > timelineWidth*2/3 {
			e.TextX = x - 10
		}
		if len([]rune(e.Label)) > 32 {
			e.Label = string([]rune(e.Label)[:31]) + "…"
		}
	}
	t.AxisY = timelineRow*(len(t.Events)+1) + 16
	t.Height = t.AxisY + 30
	return t
}

// Anchor tells where an event's text starts, left or right of its dot.
func (e event) Anchor() string {
	if e.TextX < e.X {
		return "end"
	}
	return "start"
}
