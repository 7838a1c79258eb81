package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/calendar"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/demo"
	"github.com/dateline/dateline/internal/store"
)

// Defaults of the sample site.
const (
	defaultAddr      = "localhost:8080"
	defaultDB        = "data/dateline.db"
	defaultContent   = "content"
	defaultZone      = "Asia/Jerusalem"
	defaultZoneLabel = "Jerusalem Time"
	defaultSiteName  = "Dateline"
	defaultTagline   = "News from the city and the coast"
	defaultPageSize  = 20
	defaultBaseURL   = "http://localhost:8080"
)

// siteConfig is what every command that touches the database needs.
type siteConfig struct {
	DB        string
	Zone      string
	ZoneLabel string
	from      source // where the values came from, for errors
}

func (c *siteConfig) define(fs *flag.FlagSet, getenv func(string) string) {
	defineDB(fs, &c.DB, getenv)
	fs.StringVar(&c.Zone, "zone", envOr(getenv, "DATELINE_ZONE", defaultZone), "the site's IANA time `zone` (DATELINE_ZONE)")
	fs.StringVar(&c.ZoneLabel, "zone-label", envOr(getenv, "DATELINE_ZONE_LABEL", defaultZoneLabel), "the `label` shown after times (DATELINE_ZONE_LABEL)")
}

// defineDB defines --db, which every command has.
func defineDB(fs *flag.FlagSet, db *string, getenv func(string) string) {
	fs.StringVar(db, "db", envOr(getenv, "DATELINE_DB", defaultDB), "SQLite database `file`; its folder is created (DATELINE_DB)")
}

func (c siteConfig) zone() (calendar.Zone, error) {
	return calendar.LoadZone(c.Zone, c.ZoneLabel)
}

// open reads the site's zone and opens (or creates) its database; existed
// says whether the file was there before. The commands that write a site
// (serve, import, demo-data) start with it. (Each decides for itself when
// the date index takes the zone: st.EnsureArchiveZone.)
func (c siteConfig) open(ctx context.Context) (st *store.Store, zone calendar.Zone, existed bool, err error) {
	if zone, err = c.zone(); err != nil {
		return nil, zone, false, fmt.Errorf("%s: %w", c.from.name("zone", "DATELINE_ZONE"), err)
	}
	_, statErr := os.Stat(c.DB)
	if st, err = store.Open(ctx, c.DB); err != nil {
		return nil, zone, false, err
	}
	return st, zone, statErr == nil, nil
}

// serveConfig is the configuration of "dateline serve".
type serveConfig struct {
	siteConfig
	Addr           string
	Content        string
	SiteName       string
	Tagline        string
	BaseURL        string
	LogFormat      string
	SecureCookies  bool
	TrustedProxies []*net.IPNet
	trustedList    string // --trusted-proxies as given
	CommentRate    int
	MetricsToken   string
	NoCache        bool
	CacheMB        int
	MaxAge         time.Duration
	StaleWhile     time.Duration
}

func serveFlags(c *serveConfig, getenv func(string) string) *flag.FlagSet {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&c.Addr, "addr", envOr(getenv, "DATELINE_ADDR", defaultAddr), "`host:port` to listen on (DATELINE_ADDR)")
	c.siteConfig.define(fs, getenv)
	fs.StringVar(&c.Content, "content", envOr(getenv, "DATELINE_CONTENT", defaultContent), "`folder` of articles imported when the database is empty; the built-in samples when it does not exist (DATELINE_CONTENT)")
	fs.StringVar(&c.SiteName, "site-name", envOr(getenv, "DATELINE_SITE_NAME", defaultSiteName), "the site's `name` (DATELINE_SITE_NAME)")
	fs.StringVar(&c.Tagline, "tagline", envOr(getenv, "DATELINE_TAGLINE", defaultTagline), "the `line` under the site's name (DATELINE_TAGLINE)")
	fs.StringVar(&c.BaseURL, "base-url", envOr(getenv, "DATELINE_BASE_URL", defaultBaseURL), "the site's absolute `URL` as readers reach it, for feeds, sitemaps and canonical links (DATELINE_BASE_URL)")
	fs.StringVar(&c.trustedList, "trusted-proxies", envOr(getenv, "DATELINE_TRUSTED_PROXIES", ""),
		"comma-separated `CIDRs` of the proxies in front; only their X-Forwarded-For is believed (DATELINE_TRUSTED_PROXIES)")
	fs.IntVar(&c.CommentRate, "comment-rate", 5,
		"comments one client address may send per `minute` (DATELINE_COMMENT_RATE)")
	fs.StringVar(&c.MetricsToken, "metrics-token", envOr(getenv, "DATELINE_METRICS_TOKEN", ""),
		"bearer `token` that lets another machine read /metrics; without it only loopback may (DATELINE_METRICS_TOKEN)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", false,
		"mark newsroom cookies Secure; set it when a TLS proxy is in front (DATELINE_SECURE_COOKIES=true)")
	fs.BoolVar(&c.NoCache, "no-cache", false,
		"render every public page for its request instead of keeping it in memory; for measuring (DATELINE_NO_CACHE=true)")
	fs.IntVar(&c.CacheMB, "cache-size", 32,
		"`megabytes` of memory for the page cache (DATELINE_CACHE_SIZE)")
	fs.DurationVar(&c.MaxAge, "cache-max-age", time.Minute,
		"how long browsers and shared caches may keep a public page: Cache-Control max-age (DATELINE_CACHE_MAX_AGE)")
	fs.DurationVar(&c.StaleWhile, "cache-stale", 10*time.Minute,
		"how long a shared cache may serve a page while it fetches a new one: stale-while-revalidate (DATELINE_CACHE_STALE)")
	fs.StringVar(&c.LogFormat, "log-format", envOr(getenv, "DATELINE_LOG_FORMAT", "text"), "log `format`: text or json (DATELINE_LOG_FORMAT)")
	return fs
}

// parseServeConfig reads the flags of "dateline serve" over defaults taken
// from the environment.
func parseServeConfig(args []string, getenv func(string) string, out io.Writer) (serveConfig, error) {
	var c serveConfig
	fs := serveFlags(&c, getenv)
	fs.SetOutput(out)
	if err := fromEnv(fs, getenv, serveEnv); err != nil {
		return c, err
	}
	if err := parseFlags(fs, args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: serve takes no arguments, got %q", errUsage, fs.Args())
	}
	c.from = newSource(fs, args, getenv)
	if err := c.check(); err != nil {
		return c, err
	}
	return c, nil
}

// check refuses the values that parse as their type but are no good, and
// puts the base URL and the trusted proxies in the form the server takes.
func (c *serveConfig) check() error {
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || strings.Trim(u.Path, "/") != "" {
		return c.from.refuse("base-url", "DATELINE_BASE_URL", c.BaseURL, "must be an absolute http or https address such as https://news.example")
	}
	c.BaseURL = u.Scheme + "://" + u.Host
	// Up to a million a minute, so that a load run from one address can
	// measure how many comments the site takes.
	if c.CommentRate < 1 || c.CommentRate > 1_000_000 {
		return c.from.refuse("comment-rate", "DATELINE_COMMENT_RATE", strconv.Itoa(c.CommentRate), "must be from 1 to 1000000")
	}
	if c.TrustedProxies, err = parseProxies(c.trustedList); err != nil {
		return fmt.Errorf("%w: %s: %v", errUsage, c.from.name("trusted-proxies", "DATELINE_TRUSTED_PROXIES"), err)
	}
	if c.CacheMB < 1 || c.CacheMB > 1<<16 {
		return c.from.refuse("cache-size", "DATELINE_CACHE_SIZE", strconv.Itoa(c.CacheMB), "must be from 1 to 65536 megabytes")
	}
	if c.MaxAge < 0 {
		return c.from.refuse("cache-max-age", "DATELINE_CACHE_MAX_AGE", c.MaxAge.String(), "must not be negative")
	}
	if c.StaleWhile < 0 {
		return c.from.refuse("cache-stale", "DATELINE_CACHE_STALE", c.StaleWhile.String(), "must not be negative")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c.from.refuse("log-format", "DATELINE_LOG_FORMAT", c.LogFormat, "must be text or json")
	}
	return nil
}

// parseProxies reads a comma-separated list of CIDRs and single
// addresses, each a network of one.
func parseProxies(list string) ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, item := range strings.Split(list, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		if !strings.Contains(item, "/") { // a single address
			if ip := net.ParseIP(item); ip != nil && ip.To4() != nil {
				item += "/32"
			} else {
				item += "/128"
			}
		}
		_, n, err := net.ParseCIDR(item)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or CIDR", item)
		}
		nets = append(nets, n)
	}
	return nets, nil
}

func importFlags(c *siteConfig, getenv func(string) string) *flag.FlagSet {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	c.define(fs, getenv)
	return fs
}

// demoConfig is the configuration of "dateline demo-data".
type demoConfig struct {
	siteConfig
	Articles int
	Comments int
	Seed     uint64
	Years    int
	Newest   int
}

func demoFlags(c *demoConfig, getenv func(string) string) *flag.FlagSet {
	fs := flag.NewFlagSet("demo-data", flag.ContinueOnError)
	c.define(fs, getenv)
	fs.IntVar(&c.Articles, "articles", 50_000, "generate `n` articles")
	fs.IntVar(&c.Comments, "comments", 500_000, "spread `n` comments over the published articles")
	fs.IntVar(&c.Years, "years", 10, "spread the publication dates over `n` years ending now")
	fs.IntVar(&c.Newest, "newest", 0, "write only the newest `n` of the articles, with their comments: the same site with a younger archive (0: all)")
	fs.Uint64Var(&c.Seed, "seed", demo.DefaultSeed, "the generator's `seed`: the same seed gives the same site (its dates end at the time of the run)")
	return fs
}

// commentsConfig is the configuration of "dateline comments".
type commentsConfig struct {
	DB     string
	Status string
	Limit  int
	from   source
}

func commentsFlags(c *commentsConfig, getenv func(string) string) *flag.FlagSet {
	fs := flag.NewFlagSet("comments", flag.ContinueOnError)
	defineDB(fs, &c.DB, getenv)
	fs.StringVar(&c.Status, "status", "", "list only comments with this `status`: pending, approved, rejected or spam")
	fs.IntVar(&c.Limit, "limit", 1000, "list at most `n` comments, newest first")
	return fs
}

// parseCommentsConfig reads "dateline comments ACTION [flags] [ID...]".
func parseCommentsConfig(args []string, getenv func(string) string, out io.Writer) (action string, c commentsConfig, rest []string, err error) {
	fs := commentsFlags(&c, getenv)
	fs.SetOutput(out)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if err := parseFlags(fs, args); err != nil {
			return "", c, nil, err
		}
		return "", c, nil, fmt.Errorf("%w: comments needs an action: list, approve, reject or spam", errUsage)
	}
	action, args = args[0], args[1:]
	if err := parseFlags(fs, args); err != nil {
		return "", c, nil, err
	}
	if c.Limit < 1 {
		return "", c, nil, fmt.Errorf("%w: --limit must be at least 1", errUsage)
	}
	if c.Status != "" {
		if _, ok := comment.ParseStatus(c.Status); !ok {
			return "", c, nil, fmt.Errorf("%w: --status must be pending, approved, rejected or spam, got %q", errUsage, c.Status)
		}
	}
	c.from = newSource(fs, args, getenv)
	return action, c, fs.Args(), nil
}

// parseFlags parses a command's flags; a mistake in them is a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return err
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// serveEnv are the serve flags, other than text ones, that the
// environment may set (flag name -> variable).
var serveEnv = map[string]string{
	"comment-rate": "DATELINE_COMMENT_RATE", "secure-cookies": "DATELINE_SECURE_COOKIES", "no-cache": "DATELINE_NO_CACHE",
	"cache-size": "DATELINE_CACHE_SIZE", "cache-max-age": "DATELINE_CACHE_MAX_AGE", "cache-stale": "DATELINE_CACHE_STALE",
}

// fromEnv sets the flags named in vars from the environment, before the
// command line is parsed (which wins). Each value is parsed as strictly as
// its flag's own; a yes/no flag also takes yes, no, on and off, as
// environment files often say. A bad value stops the start with the
// variable's name and the value, not quietly left at the default.
func fromEnv(fs *flag.FlagSet, getenv func(string) string, vars map[string]string) error {
	for name, key := range vars {
		v := getenv(key)
		if v == "" {
			continue
		}
		if b, ok := fs.Lookup(name).Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			switch strings.ToLower(v) {
			case "yes", "on":
				v = "true"
			case "no", "off":
				v = "false"
			}
		}
		if err := fs.Set(name, v); err != nil {
			return fmt.Errorf("%w: %s=%q: not a value for --%s (%v)", errUsage, key, v, name, err)
		}
	}
	return nil
}

// source says where a command's values came from, so that an error about
// one names what the user wrote: the flag, or the environment variable.
type source struct {
	given  map[string]bool // the flags the command line set
	getenv func(string) string
}

// newSource finds the flags that args set by parsing them again, into a
// copy of fs whose flags keep nothing: fs itself cannot tell, since
// fromEnv set some of its flags before the command line was parsed.
func newSource(fs *flag.FlagSet, args []string, getenv func(string) string) source {
	again := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	again.SetOutput(io.Discard)
	fs.VisitAll(func(f *flag.Flag) {
		b, ok := f.Value.(interface{ IsBoolFlag() bool })
		again.Var(ignored{isBool: ok && b.IsBoolFlag()}, f.Name, f.Usage)
	})
	_ = again.Parse(args) // fs has parsed the same arguments without an error
	given := map[string]bool{}
	again.Visit(func(f *flag.Flag) { given[f.Name] = true })
	return source{given: given, getenv: getenv}
}

// ignored is a flag value that takes anything and keeps nothing.
type ignored struct{ isBool bool }

func (ignored) String() string     { return "" }
func (ignored) Set(string) error   { return nil }
func (v ignored) IsBoolFlag() bool { return v.isBool }

// name is how the user set flag, whose variable is key: the variable when
// the value came from the environment, else "--flag".
func (s source) name(flag, key string) string {
	if !s.given[flag] && s.getenv != nil && s.getenv(key) != "" {
		return key
	}
	return "--" + flag
}

// refuse is the usage error for a value that a check refused, naming the
// setting and the value as the user gave them; value is the flag's.
func (s source) refuse(flag, key, value, rule string) error {
	name := s.name(flag, key)
	if name == key {
		value = s.getenv(key)
	}
	return fmt.Errorf("%w: %s %s, got %q", errUsage, name, rule, value)
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
