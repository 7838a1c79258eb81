package server

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dateline/dateline/internal/store"
)

// metrics are the Prometheus series the site keeps, in a registry of its
// own (no global state).
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	comments *prometheus.CounterVec
	inFlight prometheus.Gauge

	seriesMu sync.RWMutex
	series   map[seriesKey]boundSeries // series of observe, by labels
}

func newMetrics(st *store.Store) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		series:   map[seriesKey]boundSeries{},
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dateline_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "dateline_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		comments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dateline_comment_submissions_total", Help: "Comment form submissions by outcome.",
		}, []string{"outcome"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dateline_http_requests_in_flight", Help: "Requests being handled now, past the page cache (a scrape counts itself).",
		}),
	}
	pool := func(name, help string, value func(w, r store.PoolStats) (float64, float64)) {
		for _, p := range []string{"writer", "readers"} {
			m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: name, Help: help, ConstLabels: prometheus.Labels{"pool": p},
			}, func() float64 {
				w, r := value(st.PoolStats())
				if p == "writer" {
					return w
				}
				return r
			}))
		}
	}
	pool("dateline_db_connections_open", "Open database connections.", func(w, r store.PoolStats) (float64, float64) {
		return float64(w.Open), float64(r.Open)
	})
	pool("dateline_db_connections_in_use", "Database connections in use.", func(w, r store.PoolStats) (float64, float64) {
		return float64(w.InUse), float64(r.InUse)
	})
	pool("dateline_db_waits_total", "Times a query waited for a free connection.", func(w, r store.PoolStats) (float64, float64) {
		return float64(w.WaitCount), float64(r.WaitCount)
	})
	pool("dateline_db_wait_seconds_total", "Time queries waited for a free connection.", func(w, r store.PoolStats) (float64, float64) {
		return w.WaitSeconds, r.WaitSeconds
	})
	m.registry.MustRegister(m.requests, m.latency, m.comments, m.inFlight,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe counts one answered request. The route is the pattern, not the
// address, so the number of series stays small; each series is looked up
// once and kept, as cached pages are the busiest path.
func (m *metrics) observe(route, method string, status int, took time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	key := seriesKey{route, method, status}
	m.seriesMu.RLock()
	s, ok := m.series[key]
	m.seriesMu.RUnlock()
	if !ok {
		s = boundSeries{m.requests.WithLabelValues(route, method, strconv.Itoa(status)), m.latency.WithLabelValues(route, method)}
		m.seriesMu.Lock()
		m.series[key] = s
		m.seriesMu.Unlock()
	}
	s.requests.Inc()
	s.latency.Observe(took.Seconds())
}

// countInFlight keeps dateline_http_requests_in_flight.
func (m *metrics) countInFlight(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		return next(c)
	}
}

// comment counts a comment submission by its outcome.
func (m *metrics) comment(outcome string) { m.comments.WithLabelValues(outcome).Inc() }

type seriesKey struct {
	route, method string
	status        int
}

type boundSeries struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

// showMetrics serves the metrics to the machine itself or to a scraper
// with the configured bearer token; anyone else is told there is nothing
// here.
func (h *handler) showMetrics(c echo.Context) error {
	auth := c.Request().Header.Get("Authorization")
	token, hasBearer := strings.CutPrefix(auth, "Bearer ")
	allowed := fromThisMachine(c.Request()) ||
		h.metricsToken != "" && hasBearer && subtle.ConstantTimeCompare([]byte(token), []byte(h.metricsToken)) == 1
	if !allowed {
		return echo.ErrNotFound
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	// compressResponses compresses the answer; promhttp must not do it too.
	promhttp.HandlerFor(h.metrics.registry, promhttp.HandlerOpts{DisableCompression: true}).ServeHTTP(c.Response(), c.Request())
	return nil
}

// fromThisMachine reports whether a request really comes from this
// machine: over loopback, and not passed on by a proxy. A reverse proxy
// on the same machine connects over loopback too, for anyone on the
// internet; the forwarding headers it adds (X-Forwarded-For, Forwarded,
// X-Real-IP) tell its requests apart. A proxy that adds none of them
// cannot be told apart: give --metrics-token behind one (README).
func fromThisMachine(r *http.Request) bool {
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return false
	}
	for _, k := range []string{"X-Forwarded-For", "Forwarded", "X-Real-Ip"} {
		if _, ok := r.Header[k]; ok {
			return false
		}
	}
	return true
}
