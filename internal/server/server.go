// Package server is Dateline's HTTP face: the Echo application, its
// middleware, the route table and the handlers that turn requests into store
// calls and templ pages. It is the only package that imports Echo; it must
// not import database/sql or the SQLite driver.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/media"
	"github.com/dateline/dateline/internal/settings"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// Options are what the server needs from its caller.
type Options struct {
	Store  *store.Store
	Logger *slog.Logger
	// Defaults are the site settings until an admin saves others.
	Defaults settings.Settings
	// BaseURL is the site's absolute address, as readers reach it, without
	// a trailing slash: "https://news.example".
	BaseURL string
	// TrustedProxies are the proxies in front of the site. Only requests
	// from them may say, in X-Forwarded-For, which client they carry; with
	// none, the client is the connection's peer.
	TrustedProxies []*net.IPNet
	// MetricsToken lets a scraper from another machine read /metrics with
	// "Authorization: Bearer <token>"; empty allows loopback only.
	MetricsToken string
	// CommentsPerMinute is how many comments one client address may send
	// in a minute; 0 means 5.
	CommentsPerMinute int
	// MediaDir is the folder uploaded images are kept in.
	MediaDir string
	// Hasher hashes and checks newsroom passwords.
	Hasher *account.Hasher
	// SecureCookies marks session and form-token cookies Secure even when
	// the request did not arrive over TLS itself (behind a TLS proxy).
	SecureCookies bool
	// Now is the site clock; nil means time.Now. Tests set a fixed clock.
	Now func() time.Time
	// CacheBytes bounds the page cache; 0 means 32 MiB. NoCache turns the
	// cache off (every page is rendered for its request), for measuring.
	CacheBytes int
	NoCache    bool
	// Caching is what public pages say in Cache-Control; zero means
	// max-age 60 s and stale-while-revalidate 600 s.
	Caching HTTPCaching

	// costly and uploading, when set, are the gates of costly pages
	// (costly.go) and of large uploads (admin_media.go): tests bring ones
	// whose slots they hold. Nil means the usual ones.
	costly, uploading *gate
}

// handler holds what every handler needs. Handlers are its methods.
type handler struct {
	store        *store.Store
	log          *slog.Logger
	defaults     settings.Settings
	current      atomic.Pointer[siteState] // the settings in force
	nav          atomic.Pointer[navState]  // the sections for the navigation
	pages        *pages
	namesMu      sync.Mutex
	names        map[article.Grouping]map[string]store.NameCount // grouping -> slug -> name, see namesBySlug
	baseURL      string
	host         string // the base URL's host name, which requests must name (allowedHost)
	media        media.Folder
	metrics      *metrics
	metricsToken string
	stampKey     []byte // signs comment form timestamps
	noticeKey    []byte // signs newsroom notices (notice.go)
	deviceKey    []byte // signs device cookies (admin_auth.go)
	costly       *gate  // bounds the costly pages rendered at once
	uploading    *gate  // bounds the uploads read and checked at once (admin_media.go)
	// uploadRoutes are the route patterns declared as taking an image
	// (routes.go); written while the routes are declared, read-only after.
	uploadRoutes  map[string]bool
	commentLimits store.CommentLimits
	decoding      chan struct{} // one image decode at a time
	hasher        *account.Hasher
	secureCookies bool
	now           func() time.Time
	// dummyHash is a hash to check unknown usernames against, made on first
	// use so that start-up does not pay for it.
	dummyHash func(ctx context.Context) (string, error)
}

// requestTimeout bounds the work of one request, database waits included.
const requestTimeout = 15 * time.Second

// contentSecurityPolicy allows only the site's own resources: no inline
// script or style, no plugins, no framing, forms post only to the site.
const contentSecurityPolicy = "default-src 'self'; object-src 'none'; " +
	"base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// siteState is the settings in force and the site they describe.
type siteState struct {
	settings settings.Settings
	site     web.Site
}

// site is the site as pages show it, under the settings in force, with the
// sections of the navigation.
func (h *handler) site() web.Site {
	site := h.current.Load().site
	if nav := h.nav.Load(); nav != nil {
		site.Sections = nav.sections
	}
	return site
}

// navState is the navigation's list of sections.
type navState struct {
	sections []web.Named
}

// refreshNav reads the sections with published articles for the
// navigation, and reports whether the list of names changed. It runs when
// the change log says an article changed and when a scheduled story comes
// out, never on every request.
func (h *handler) refreshNav(ctx context.Context) (changed bool, err error) {
	names, err := h.store.Names(ctx, article.BySection, h.now())
	if err != nil {
		return false, err
	}
	list := make([]web.Named, 0, len(names))
	for _, n := range names {
		list = append(list, web.Named{Name: n.Name, Path: article.BySection.Path(n.Name), Count: n.Count})
	}
	old := h.nav.Load()
	h.nav.Store(&navState{sections: list})
	if old == nil || len(old.sections) != len(list) {
		return true, nil
	}
	for i := range list {
		if list[i].Name != old.sections[i].Name {
			return true, nil
		}
	}
	return false, nil
}

// settings are the site settings in force.
func (h *handler) settings() settings.Settings { return h.current.Load().settings }

// loadSettings reads the saved settings over the defaults and puts them in
// force. Settings live in this process between saves: another instance
// sees a change when it starts (or, later, when it reloads them).
func (h *handler) loadSettings(ctx context.Context) error {
	set, err := h.store.SiteSettings(ctx, h.defaults)
	if err != nil {
		return err
	}
	if err := h.useSettings(set); err != nil {
		return err
	}
	// The date index counts by site-local day: it follows the zone (a no-op
	// unless the zone changed).
	return h.store.SetArchiveZone(ctx, h.site().Zone.Location)
}

func (h *handler) useSettings(set settings.Settings) error {
	zone, err := set.Zone()
	if err != nil {
		return fmt.Errorf("server: settings: %w", err)
	}
	h.current.Store(&siteState{settings: set, site: web.Site{Name: set.Name, Tagline: set.Tagline, Zone: zone, BaseURL: h.baseURL}})
	return nil
}

// New builds the Echo application with its middleware and routes, under the
// saved settings.
func New(ctx context.Context, o Options) (*echo.Echo, error) {
	h, err := newHandler(ctx, o)
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Debug = false
	e.IPExtractor = ipExtractor(o.TrustedProxies)
	e.SchemeExtractor = schemeExtractor(o.TrustedProxies)
	e.HTTPErrorHandler = h.handleError
	h.middleware(e)
	h.routes(e)
	return e, nil
}

// newHandler is the handler of the options, with the site's settings,
// navigation, page cache and keys loaded from the store.
func newHandler(ctx context.Context, o Options) (*handler, error) {
	h := &handler{uploadRoutes: map[string]bool{}, store: o.Store, log: o.Logger, defaults: o.Defaults, media: media.Folder{Dir: o.MediaDir}, baseURL: o.BaseURL, host: siteHost(o.BaseURL),
		decoding: make(chan struct{}, 1), metrics: newMetrics(o.Store), metricsToken: o.MetricsToken,
		hasher: o.Hasher, secureCookies: o.SecureCookies, now: o.Now}
	if h.now == nil {
		h.now = time.Now
	}
	if h.costly = o.costly; h.costly == nil {
		h.costly = newCostlyGate()
	}
	if h.uploading = o.uploading; h.uploading == nil {
		h.uploading = &gate{slots: make(chan struct{}, uploadsAtOnce), maxWaiting: 32, maxWait: uploadTime}
	}
	if h.hasher == nil {
		h.hasher = account.NewHasher(2)
	}
	h.dummyHash = onceHash(h.hasher)
	if err := h.loadSettings(ctx); err != nil {
		return nil, err
	}
	if _, err := h.refreshNav(ctx); err != nil {
		return nil, err
	}
	if err := h.startPageCache(ctx, o); err != nil {
		return nil, err
	}
	var err error
	if h.stampKey, err = h.store.Secret(ctx, "comment-form"); err != nil {
		return nil, err
	}
	if h.noticeKey, err = h.store.Secret(ctx, "newsroom-notice"); err != nil {
		return nil, err
	}
	if h.deviceKey, err = h.store.Secret(ctx, "sign-in-device"); err != nil {
		return nil, err
	}
	h.commentLimits = store.CommentLimits{PerClient: o.CommentsPerMinute, Window: time.Minute, DuplicateWindow: 10 * time.Minute}
	if h.commentLimits.PerClient <= 0 {
		h.commentLimits.PerClient = 5
	}
	return h, nil
}

// middleware sets what every request passes through, in order.
func (h *handler) middleware(e *echo.Echo) {
	// One address per page: "/2024/" goes to "/2024". 308 keeps the method,
	// so a form posted to a trailing-slash address is not turned into a GET.
	e.Pre(
		// Cached pages are answered first (after the Host check), before
		// routing: they need no request id, no log line of their own (they
		// are counted in the metrics), no timeout and no compression (theirs
		// is made once), and they repeat the headers the middleware below
		// set when they were rendered.
		h.servePageCache,
		middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{
			RedirectCode: http.StatusPermanentRedirect,
			Skipper:      func(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, web.StaticPrefix) },
		}))
	e.Use(
		h.metrics.countInFlight,
		permissionsPolicy,
		secureHeaders(),
		middleware.RequestID(),
		h.requestLogger(),
		middleware.RecoverWithConfig(middleware.RecoverConfig{
			// Hand the panic back up as an error so the request logger logs it
			// once, with the stack, and the error handler answers 500.
			DisableErrorHandler: true,
			LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
				return &panicError{err: err, stack: string(stack)}
			},
		}),
		// Queries give up after this; the error handler answers 503.
		middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: requestTimeout, Skipper: h.isUploadRoute}), // uploads: extendForUpload
		h.bodyLimits(),
		compressResponses(),
		crossOriginGuard(http.NewCrossOriginProtection()),
	)
}

// secureHeaders sets the security headers of every response.
// hstsMaxAge is two years; strictTransportSecurity is the header that
// secureHeaders writes with it, which cached pages add over TLS.
const hstsMaxAge = 63072000

var strictTransportSecurity = []string{"max-age=" + strconv.Itoa(hstsMaxAge) + "; includeSubdomains"}

func secureHeaders() echo.MiddlewareFunc {
	return middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "", // OWASP: do not send X-XSS-Protection
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		HSTSMaxAge:            hstsMaxAge, // sent over TLS only
		ContentSecurityPolicy: contentSecurityPolicy,
		ReferrerPolicy:        "strict-origin-when-cross-origin",
	})
}

// A request whose Host is neither the base URL's host name nor a loopback
// name is answered 421 before anything else, even a cached page
// (servePageCache checks it first). A DNS-rebinding page points its own
// name at this server, so a visitor's browser sends its requests here
// under that name (and posts comments from the visitor's address); a
// reverse proxy that passes on its upstream's name (nginx's default,
// "127.0.0.1:8080") still gets through. Ports are not compared: a
// rebinding page cannot choose the name, only the port. /healthz and
// /metrics take any host: probes and scrapers address the machine by its
// IP, read nothing private (/metrics has its own check) and post nothing.
var errWrongHost = echo.NewHTTPError(http.StatusMisdirectedRequest, "unknown host")

// siteHost is the host name of a base URL, as allowedHost compares it.
func siteHost(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil {
		return ""
	}
	return strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
}

// allowedHost reports whether a request may be answered under its Host:
// the site's own host name (case and a final dot aside), a loopback name,
// or any for the probes' paths.
func allowedHost(r *http.Request, want string) bool {
	if r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
		return true
	}
	host := r.Host
	if strings.HasPrefix(host, "[") { // [IPv6]:port
		if i := strings.IndexByte(host, ']'); i > 0 {
			host = host[1:i]
		}
	} else if i := strings.IndexByte(host, ':'); i >= 0 && strings.IndexByte(host[i+1:], ':') < 0 {
		host = host[:i]
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == want || host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// bodyLimits caps request bodies at 64 KiB before anything reads them
// (the CSRF check reads the form); over it the answer is 413. The upload
// routes are capped by guardUploads instead, once the user is known.
func (h *handler) bodyLimits() echo.MiddlewareFunc {
	return middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "64K", Skipper: h.isUploadRoute})
}

// ipExtractor decides who the client is. Without trusted proxies it is the
// connection's peer: headers a client can write (X-Forwarded-For,
// X-Real-IP) are not believed. With them, X-Forwarded-For is read back to
// the first address that is not one of them; loopback and private ranges
// are trusted only when named.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	return echo.ExtractIPFromXFFHeader(trustOnly(trusted)...)
}

// schemeExtractor decides whether a request came over HTTPS (for HSTS):
// its own TLS, or X-Forwarded-Proto from a trusted proxy only. Echo's
// default believes the header from any loopback or private address.
func schemeExtractor(trusted []*net.IPNet) echo.SchemeExtractor {
	return echo.ExtractSchemeFromHeaders(trustOnly(trusted)...)
}

// trustOnly trusts the named proxies and nothing else: not loopback,
// link-local or private ranges unless they are named.
func trustOnly(trusted []*net.IPNet) []echo.TrustOption {
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return opts
}

// permissionsPolicy turns off browser features the site never uses.
func permissionsPolicy(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Permissions-Policy",
			"camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()")
		return next(c)
	}
}

// onceHash hashes a random password the first time it is called and then
// returns the same hash; a failed attempt (a cancelled request) is retried.
func onceHash(hasher *account.Hasher) func(ctx context.Context) (string, error) {
	var mu sync.Mutex
	var hash string
	return func(ctx context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if hash != "" {
			return hash, nil
		}
		token, _ := account.NewToken()
		h, err := hasher.Hash(ctx, token)
		if err == nil {
			hash = h
		}
		return h, err
	}
}

// crossOriginGuard refuses unsafe requests that a browser marks as coming
// from another site (Sec-Fetch-Site, or an Origin that is not ours), as
// net/http.CrossOriginProtection decides. It needs no token in the page, so
// public pages stay the same bytes for every reader and can be cached.
func crossOriginGuard(cop *http.CrossOriginProtection) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return echo.NewHTTPError(http.StatusForbidden, "cross-origin request refused").SetInternal(err)
			}
			return next(c)
		}
	}
}

// requestLogger logs one line per request with slog, with the cause of any
// error that the handler returned.
func (h *handler) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError:     true, // let handleError set the status before the line is written
		LogLatency:      true,
		LogRemoteIP:     true,
		LogMethod:       true,
		LogURIPath:      true,
		LogStatus:       true,
		LogError:        true,
		LogRequestID:    true,
		LogResponseSize: true,
		LogUserAgent:    false,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			switch {
			case v.Status >= 500:
				level = slog.LevelError
			case v.Error != nil && v.Status != http.StatusNotFound:
				level = slog.LevelWarn
			}
			attrs := []slog.Attr{
				slog.String("method", v.Method),
				slog.String("path", v.URIPath),
				slog.Int("status", v.Status),
				slog.Duration("duration", v.Latency),
				slog.Int64("bytes", v.ResponseSize),
				slog.String("client_ip", v.RemoteIP),
				slog.String("request_id", v.RequestID),
			}
			if v.Error != nil {
				attrs = append(attrs, slog.String("error", v.Error.Error()))
			}
			h.log.LogAttrs(c.Request().Context(), level, "request", attrs...)
			h.metrics.observe(c.Path(), v.Method, v.Status, v.Latency)
			return nil
		},
	})
}

// panicError carries a recovered panic and its stack to the request logger.
type panicError struct {
	err   error
	stack string
}

func (p *panicError) Error() string { return "panic: " + p.err.Error() + "\n" + p.stack }
func (p *panicError) Unwrap() error { return p.err }
