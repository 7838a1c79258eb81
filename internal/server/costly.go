package server

import (
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// A costly page (a search, a feed, a sitemap part: 6 to 20 ms of a core
// on 50,000 articles, where an article or a listing takes 2) is answered
// by the page cache most of the time; the requests it misses go through a
// gate that lets only so many render at once, so that a flood of them
// leaves the other cores to the rest of the site (measured with
// `.ci/load-run costly`: 16 connections of deep searches took the
// uncached home page to 0.14 of its speed alone; with the gate, 0.74). A
// request that finds the gate full waits for a turn, so a burst is
// served, not refused; past costlyMaxWait, or when too many wait already,
// it gets 503 with Retry-After.

// gate bounds the costly requests in flight.
type gate struct {
	slots      chan struct{}
	waiting    atomic.Int64
	maxWaiting int64
	maxWait    time.Duration
}

// Bounds of the gate of costly pages, and its Retry-After in seconds.
const (
	costlyMaxWait    = 2 * time.Second
	costlyRetryAfter = 5
)

// newCostlyGate lets half the cores render costly pages (at least one)
// and up to 64 requests wait for each: a wait costs no CPU, where a
// refusal is answered at once and asked again.
func newCostlyGate() *gate {
	n := max(runtime.GOMAXPROCS(0)/2, 1)
	return &gate{slots: make(chan struct{}, n), maxWaiting: int64(64 * n), maxWait: costlyMaxWait}
}

// guard is the gate as route middleware.
func (g *gate) guard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !g.enter(c) {
			c.Response().Header().Set("Retry-After", strconv.Itoa(costlyRetryAfter))
			c.Response().Header().Set("Cache-Control", "no-store")
			return echo.NewHTTPError(http.StatusServiceUnavailable, "gate full")
		}
		defer func() { <-g.slots }()
		return next(c)
	}
}

// enter takes a slot, waiting up to maxWait when none is free and fewer
// than maxWaiting wait already.
func (g *gate) enter(c echo.Context) bool {
	select {
	case g.slots <- struct{}{}:
		return true
	default:
	}
	if g.waiting.Add(1) > g.maxWaiting {
		g.waiting.Add(-1)
		return false
	}
	defer g.waiting.Add(-1)
	timer := time.NewTimer(g.maxWait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
		return true
	case <-timer.C:
		return false
	case <-c.Request().Context().Done():
		return false
	}
}
