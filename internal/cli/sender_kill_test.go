package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/mail/mailtest"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

var (
	arenaBinOnce sync.Once
	arenaBin     string
	arenaBinErr  error
)

// buildArena builds the arena command once for the tests that run it as a
// process of its own (to kill it).
func buildArena(t *testing.T) string {
	t.Helper()
	arenaBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "arena-bin-")
		if err != nil {
			arenaBinErr = err
			return
		}
		arenaBin = filepath.Join(dir, "arena")
		out, err := exec.Command("go", "build", "-o", arenaBin, "github.com/arena-se/arena/cmd/arena").CombinedOutput()
		if err != nil {
			arenaBinErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if arenaBinErr != nil {
		t.Fatal(arenaBinErr)
	}
	return arenaBin
}

// TestSenderKilledMidBatch: instances of arena serve send the invitations
// of 120 networks by e-mail through a slow SMTP server; one is killed with
// SIGKILL in the middle of a batch, twice, and started again each time. Every e-mail
// arrives, none is lost, and any duplicate is the one e-mail the killed
// process had handed over when it died (the same Message-ID: SMTP cannot
// tell a sender that died before its commit). On PostgreSQL two instances
// send at once and the killed one is restarted beside the other.
func TestSenderKilledMidBatch(t *testing.T) {
	bin := buildArena(t)
	for _, d := range testdb.Backends() {
		t.Run(string(d), func(t *testing.T) {
			dsn := testdb.DSN(t, d)
			instances := 1
			if d == store.Postgres {
				instances = 2
			}
			senderKillTest(t, bin, dsn, instances)
		})
	}
}

func senderKillTest(t *testing.T, bin, dsn string, instances int) {
	ctx := context.Background()
	sys := arena.WithActor(ctx, arena.SystemActor())
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := CreateUser(ctx, db, UserRequest{Email: "anna@falun.se", OrgNumber: "212000-2411", OrgName: "Falu kommun", OrgKind: "kommun", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, err := CreateUser(ctx, db, UserRequest{Email: "erik@molndal.se", OrgNumber: "212000-1355", OrgName: "Mölndals stad", OrgKind: "kommun", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	orgs, err := store.Unchecked(ctx, db.Organizations, nil)
	if err != nil || len(orgs) != 2 {
		t.Fatalf("organisations: %d, %v", len(orgs), err)
	}
	falun, molndal := orgs[0].ID, orgs[1].ID
	const networks = 120
	for i := range networks {
		n := &arena.Network{Name: fmt.Sprintf("Nätverk %03d", i), Kind: arena.NetworkTactical, OwnerOrgID: &falun}
		if err := db.Networks.Create(sys, n); err != nil {
			t.Fatal(err)
		}
		if err := db.NetworkMembers.Create(sys, &arena.NetworkMember{NetworkID: n.ID, OrgID: molndal, Status: arena.MemberInvited}); err != nil {
			t.Fatal(err)
		}
	}

	smtp := mailtest.Start(t)
	smtp.SetDelay(25 * time.Millisecond)
	start := func(i int) *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--public-url", "https://arena.test",
			"--smtp-host", smtp.Host(), "--smtp-port", strconv.Itoa(smtp.Port()), "--smtp-tls", "none", "--smtp-from", "Arena <arena@arena.test>",
			"--mail-every", "200ms", "--mail-lease", "3s")
		cmd.Env = append(os.Environ(), "ARENA_SMTP_HOST=") // the flags say it all
		log, err := os.Create(filepath.Join(t.TempDir(), fmt.Sprintf("arena-%d.log", i)))
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	var cmds []*exec.Cmd
	for i := range instances {
		cmds = append(cmds, start(i))
	}
	defer func() {
		for _, c := range cmds {
			c.Process.Kill()
			c.Wait()
		}
	}()

	// Kill the first instance twice in the middle of the sending: once
	// while it waits on the server (10 ms into the next e-mail's 25 ms), and
	// once at the moment the server has taken an e-mail, before the sender
	// can record it: the worst moment.
	var killedAt []int
	for i, at := range []struct {
		n    int
		wait time.Duration
	}{{networks / 4, 10 * time.Millisecond}, {networks / 2, 0}} {
		smtp.WaitFor(t, at.n, 60*time.Second)
		time.Sleep(at.wait)
		if err := cmds[0].Process.Kill(); err != nil { // SIGKILL
			t.Fatal(err)
		}
		cmds[0].Wait()
		killedAt = append(killedAt, len(smtp.Messages()))
		cmds[0] = start(instances + i)
	}

	deadline := time.Now().Add(90 * time.Second)
	for {
		sent, waiting, failed, err := db.OutboxCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sent == networks && waiting == 0 {
			if failed != 0 {
				t.Errorf("%d e-mails given up", failed)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 90 s: %d sent, %d waiting, %d given up; %d received", sent, waiting, failed, len(smtp.Messages()))
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // nothing more may come

	byID := map[string]int{}
	subjects := map[string]bool{}
	msgs := smtp.Messages()
	for _, m := range msgs {
		byID[m.Header.Get("Message-Id")]++
		subjects[m.Subject] = true
	}
	dups := len(msgs) - len(byID)
	lost := networks - len(subjects)
	t.Logf("%d instance(s), one killed after %v e-mails: %d expected, %d received, %d distinct, %d duplicates, %d lost",
		instances, killedAt, networks, len(msgs), len(byID), dups, lost)
	if lost != 0 || len(byID) != networks {
		t.Errorf("lost %d e-mails (%d distinct Message-IDs of %d)", lost, len(byID), networks)
	}
	if dups > len(killedAt) {
		t.Errorf("%d duplicates after %d kills; a kill can duplicate at most the one e-mail in flight", dups, len(killedAt))
	}
}
