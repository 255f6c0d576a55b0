//go:build !js

// Package e2e drives the built raftlab site in headless Chromium with
// chromedp. Its helpers are for this package's tests and for any later
// browser test (tutorial chapters, the API):
//
//	func TestMain(m *testing.M) { e2e.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		ctx := e2e.StartBrowser(t)           // a new tab; skips without Chromium
//		base := e2e.ServeSite(t)             // http://127.0.0.1:port
//		e2e.Navigate(t, ctx, base+"/playground.html")
//		e2e.WaitReady(t, ctx)                // wasm running, widgets mounted
//		var n int
//		e2e.Eval(t, ctx, `document.querySelectorAll("[data-node]").length`, &n)
//		e2e.Screenshot(t, ctx, "something")  // site/e2e/artifacts/something.png
//	}
//
// The site (pages and raftlab.wasm) is built once per test process into a
// temporary directory, or taken from $RAFTLAB_SITE_DIR when set. Chromium is
// /usr/bin/chromium or $RAFTLAB_CHROMIUM; when it is missing the tests skip,
// unless RAFTLAB_REQUIRE_BROWSER=1 (set by make test), where they fail.
// Every helper call has its own Timeout.
package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"raftlab/site/build"
)

// Timeout bounds each helper call (CI has 2 cores: be generous).
const Timeout = 30 * time.Second

// Main runs the tests, then stops the shared browser and removes the built
// site. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	shutdown()
	os.Exit(code)
}

var (
	siteOnce sync.Once
	siteDir  string
	siteTemp string // removed by shutdown
	siteErr  error

	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel []context.CancelFunc
	browserErr    error
)

func shutdown() {
	for i := len(browserCancel) - 1; i >= 0; i-- {
		browserCancel[i]()
	}
	if siteTemp != "" {
		os.RemoveAll(siteTemp)
	}
}

// ChromiumPath is the browser the tests run.
func ChromiumPath() string {
	if p := os.Getenv("RAFTLAB_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// ModuleRoot is the directory of raftlab's go.mod.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		t.Fatalf("go env GOMOD: %v %q", err, gomod)
	}
	return filepath.Dir(gomod)
}

// SiteDir returns the directory of a complete site: pages, static files,
// raftlab.wasm and wasm_exec.js. It builds it once per process.
func SiteDir(t testing.TB) string {
	t.Helper()
	siteOnce.Do(func() {
		if d := os.Getenv("RAFTLAB_SITE_DIR"); d != "" {
			siteDir = d
			return
		}
		siteTemp, siteErr = os.MkdirTemp("", "raftlab-site-")
		if siteErr != nil {
			return
		}
		siteDir = siteTemp
		if siteErr = build.Build(siteDir); siteErr != nil {
			return
		}
		siteErr = build.BuildWasm(siteDir)
	})
	if siteErr != nil {
		t.Fatalf("building the site: %v", siteErr)
	}
	return siteDir
}

// ServeSite serves SiteDir on a loopback port until the test ends, with
// the headers site/cmd/serve sends (build.Handler), and returns the base
// URL without a trailing slash.
func ServeSite(t testing.TB) string {
	t.Helper()
	return ServeHandler(t, build.Handler(SiteDir(t)))
}

// ServeHandler serves h on a loopback port until the test ends (for tests
// that alter what the site serves).
func ServeHandler(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func startBrowser() (context.Context, error) {
	dataDir, err := os.MkdirTemp("", "raftlab-chromium-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dataDir),
		chromedp.WindowSize(1280, 900),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	browserCancel = append(browserCancel, acancel, bcancel, func() { os.RemoveAll(dataDir) })
	// The first Run starts the browser; it must have no deadline (the
	// browser lives as long as its context), so bound it from outside.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(bctx) }()
	select {
	case err := <-done:
		if err != nil {
			return nil, err
		}
	case <-time.After(2 * Timeout):
		return nil, errors.New("chromium did not start in time")
	}
	return bctx, nil
}

type tabKey struct{}

// tab records what a page reported.
type tab struct {
	mu     sync.Mutex
	errors []string // uncaught exceptions and console errors
}

// StartBrowser opens a new tab in the shared headless Chromium and returns
// its context; the tab closes when the test ends. Console messages are
// logged with t.Log; exceptions and console errors are kept for PageErrors.
// Without Chromium the test is skipped (or fails under
// RAFTLAB_REQUIRE_BROWSER=1).
func StartBrowser(t testing.TB) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath()); err != nil {
		msg := "no Chromium at " + ChromiumPath() + " (install it: site/e2e/ensure-chromium.sh, or run make test)"
		if os.Getenv("RAFTLAB_REQUIRE_BROWSER") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	browserOnce.Do(func() { browserCtx, browserErr = startBrowser() })
	if browserErr != nil {
		t.Fatalf("starting Chromium: %v", browserErr)
	}

	tb := &tab{}
	ctx, cancel := chromedp.NewContext(context.WithValue(browserCtx, tabKey{}, tb))
	var wg sync.WaitGroup
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	if err := chromedp.Do(ctx); err != nil { // opens the tab (no deadline: it binds the tab)
		t.Fatalf("opening a tab: %v", err)
	}
	messages := chromedp.Console(ctx)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError {
				tb.mu.Lock()
				tb.errors = append(tb.errors, m.String())
				tb.mu.Unlock()
			}
			t.Log("browser " + m.String())
		}
	}()
	return ctx
}

// PageErrors returns the uncaught exceptions and console errors the tab has
// reported so far.
func PageErrors(ctx context.Context) []string {
	tb, _ := ctx.Value(tabKey{}).(*tab)
	if tb == nil {
		return nil
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.errors...)
}

// Do runs chromedp actions on the tab within Timeout, failing the test on
// error.
func Do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(tctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// Navigate loads url in the tab.
func Navigate(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	Do(t, ctx, chromedp.Navigate(url))
}

// WaitReady waits until the page's raftlab module runs and every
// [data-raftlab-mount] element has its cluster (raftlabLoader.mounted).
func WaitReady(t testing.TB, ctx context.Context) {
	t.Helper()
	var state string
	Eval(t, ctx, `new Promise((resolve, reject) => {
		const wait = () => window.raftlabLoader
			? window.raftlabLoader.mounted.then(() => resolve(document.documentElement.dataset.raftlabState), reject)
			: setTimeout(wait, 20);
		wait();
	})`, &state)
	if state != "ready" {
		t.Fatalf("page state %q, want ready", state)
	}
}

// Eval evaluates the JavaScript expression js in the page, waits for it if it
// is a promise, and decodes its JSON value into out (a pointer; nil ignores
// the value). A thrown exception or a rejected promise fails the test.
func Eval(t testing.TB, ctx context.Context, js string, out any) {
	t.Helper()
	if err := EvalErr(ctx, js, out); err != nil {
		t.Fatalf("evaluating %s: %v", short(js), err)
	}
}

// EvalErr is Eval that returns the error.
func EvalErr(ctx context.Context, js string, out any) error {
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	raw, err := chromedp.Run(tctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if raw == nil {
		return errors.New("the expression gave undefined")
	}
	return json.Unmarshal(raw, out)
}

// EmulateMedia sets a CSS media feature of the tab, for example
// ("prefers-color-scheme", "dark") or ("prefers-reduced-motion", "reduce").
func EmulateMedia(t testing.TB, ctx context.Context, name, value string) {
	t.Helper()
	Do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: name, Value: value}},
		})
		return err
	}))
}

// Viewport sets the tab's viewport size in CSS pixels.
func Viewport(t testing.TB, ctx context.Context, width, height int64) {
	t.Helper()
	Do(t, ctx, chromedp.EmulateViewport(width, height))
}

// ArtifactsDir is where tests save files for people to look at:
// $RAFTLAB_ARTIFACTS, or site/e2e/artifacts (gitignored).
func ArtifactsDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("RAFTLAB_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(ModuleRoot(t), "site", "e2e", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Screenshot saves a PNG of the whole page as ArtifactsDir/name.png and
// returns its path.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	return screenshot(t, ctx, name, chromedp.FullScreenshot(100))
}

// ViewportScreenshot saves what the viewport shows, for pages that lay
// themselves out again when a full-page screenshot resizes them (reveal.js).
func ViewportScreenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	return screenshot(t, ctx, name, chromedp.CaptureScreenshot())
}

func screenshot(t testing.TB, ctx context.Context, name string, capture chromedp.Action[[]byte]) string {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(tctx, capture)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(ArtifactsDir(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// NoPageErrors reports an error for every uncaught exception or console
// error the page has logged so far.
func NoPageErrors(t testing.TB, ctx context.Context) {
	t.Helper()
	if errs := PageErrors(ctx); len(errs) > 0 {
		t.Errorf("the page reported errors: %q", errs)
	}
}

func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
