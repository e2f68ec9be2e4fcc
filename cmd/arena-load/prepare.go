package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/seed"
)

// dataset is what a target's load runs on, prepared through the API.
type dataset struct {
	readers    []*session // every demo user, signed in once
	writers    []*session // the demo users of a buyer organisation
	needIDs    []int64    // public needs to show and match
	networkIDs []int64    // networks an anonymous visitor may see
	attacker   *session   // a bearer token in an organisation of its own
}

// prepare signs each demo user in once (the workers share the sessions, so
// login throttling never sees a burst), makes further organisations and
// the attacker's with `arena user create`, and posts public needs spread
// over all the organisations through the API of the target's instances.
func prepare(ctx context.Context, c *http.Client, t *target, bin, db string, needs int, rng *rand.Rand) (*dataset, error) {
	d := &dataset{}
	base := t.bases[0]
	for _, u := range seed.DemoUsers {
		s, err := login(ctx, c, base, u.Email, seed.DemoPassword)
		if err != nil {
			return nil, err
		}
		s.orgName = u.OrgName
		d.readers = append(d.readers, s)
		if u.PlatformRole == "" && s.orgID != 0 {
			d.writers = append(d.writers, s)
		}
	}
	if len(d.writers) == 0 {
		return nil, fmt.Errorf("no demo user of a buyer organisation to write as")
	}
	posters := append([]*session(nil), d.writers...)
	for _, o := range extraOrgs {
		s, err := bearerSession(ctx, c, base, bin, db, o.email, o.number, o.name, o.kind)
		if err != nil {
			return nil, err
		}
		posters = append(posters, s)
	}
	var err error
	if d.attacker, err = bearerSession(ctx, c, base, bin, db, attackerOrg.email, attackerOrg.number, attackerOrg.name, attackerOrg.kind); err != nil {
		return nil, err
	}

	// Four at a time, round-robin over the instances, as several buyers
	// would post.
	made := make([]*arena.Need, needs)
	for i := range made {
		p := posters[i%len(posters)]
		made[i] = newNeed(rng, p.orgID, p.orgName)
	}
	ids := make([]int64, needs)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= needs || ctx.Err() != nil {
					return
				}
				var out struct {
					ID int64 `json:"id"`
				}
				if _, err := call(ctx, c, posters[i%len(posters)], "POST", t.base()+"/api/v1/needs", made[i], &out); err != nil {
					errs <- err
					return
				}
				ids[i] = out.ID
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, fmt.Errorf("posting needs: %w", err)
	}
	d.needIDs = ids

	var nets struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if _, err := call(ctx, c, nil, "GET", base+"/api/v1/networks?limit=100", nil, &nets); err != nil {
		return nil, err
	}
	for _, n := range nets.Items {
		id := strconv.FormatInt(n.ID, 10)
		_, err1 := call(ctx, c, nil, "GET", base+"/api/v1/networks/"+id+"/overview", nil, nil)
		_, err2 := call(ctx, c, nil, "GET", base+"/natverk/"+id, nil, nil)
		if err1 == nil && err2 == nil {
			d.networkIDs = append(d.networkIDs, n.ID)
		}
	}
	if len(d.networkIDs) == 0 {
		return nil, fmt.Errorf("no network that an anonymous visitor may see")
	}
	return d, nil
}

// bearerSession makes a user and, when new, its organisation with `arena
// user create`, and finds the organisation's id with the token.
func bearerSession(ctx context.Context, c *http.Client, base, bin, db, email, number, name, kind string) (*session, error) {
	token, err := userCreate(ctx, bin, db, email, number, name, kind)
	if err != nil {
		return nil, err
	}
	s := &session{email: email, orgName: name, bearer: token}
	var m me
	if _, err := call(ctx, c, s, "GET", base+"/api/v1/me", nil, &m); err != nil {
		return nil, err
	}
	if len(m.Organizations) == 0 {
		return nil, fmt.Errorf("%s: no organisation", email)
	}
	s.orgID = m.Organizations[0].OrgID
	return s, nil
}
