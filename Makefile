# raftlab — make run (serve the site), make test (everything CI runs).
GO        ?= go
GOROOT    := $(shell $(GO) env GOROOT)
SITE      := build/site
PORT      ?= 8080
# Packages tested as GOOS=js GOARCH=wasm under node: only those that exist.
WASM_TEST_PKGS = $(foreach d,raft wasm,$(if $(wildcard $(d)/*.go $(d)/*/*.go),./$(d)/...))
RAFT_PKGS      = $(if $(wildcard raft/*.go raft/*/*.go),./raft/...)

.PHONY: all wasm site deck run test test-tools vet test-native test-wasm bench bench-etcd sizes clean

all: site

wasm:
	@mkdir -p $(SITE)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $(SITE)/raftlab.wasm ./wasm
	cp "$(GOROOT)/lib/wasm/wasm_exec.js" $(SITE)/

# The site build renders the tutorial chapters too (site/build, step
# "tutorials"): a broken chapter stops it with file:line messages.
site: wasm
	$(GO) run ./site/cmd/sitebuild -out $(SITE)

# Check the tutorial chapters alone: parse them and play every solution.
chapters:
	$(GO) test ./raft/sim/goal/ ./site/chapters/ ./tutorials/

# The example lecture deck (reveal.js, pinned in site/deck/package-lock.json):
# npm ci, then reveal.js's dist files and the deck into $(SITE)/deck. The
# site works without it; the browser tests build it themselves.
deck: site
	sh site/deck/build.sh $(SITE)/deck

run: site
	@echo "raftlab: http://127.0.0.1:$(PORT)/  (PORT=... to change)"
	PORT=$(PORT) $(GO) run ./site/cmd/serve -dir $(SITE)

# Chromium and a Japanese font for the browser tests, and node for the wasm
# tests, installed if missing.
test-tools:
	@bash site/e2e/ensure-chromium.sh
	@command -v node >/dev/null 2>&1 || { echo "installing nodejs"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs; }
	@command -v npm >/dev/null 2>&1 || { echo "installing npm (the deck's reveal.js)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/...

# The browser tests build the wasm with a go command of their own, which
# go test's cache cannot see: they always run (-count=1), so that a change
# in wasm/ is never passed by a cached result.
test-native:
	RAFTLAB_REQUIRE_BROWSER=1 $(GO) test $$($(GO) list ./... | grep -v '/site/e2e$$')
	RAFTLAB_REQUIRE_BROWSER=1 $(GO) test -count=1 ./site/e2e

test-wasm:
	GOOS=js GOARCH=wasm $(GO) test -exec="$(GOROOT)/lib/wasm/go_js_wasm_exec" $(WASM_TEST_PKGS)

# Native tests include the browser tests (site/e2e); RAFTLAB_REQUIRE_BROWSER=1
# makes them fail, not skip, without Chromium.
test: test-tools vet test-native test-wasm

bench:
	$(if $(RAFT_PKGS),$(GO) test -run '^$$' -bench . -benchmem $(RAFT_PKGS),@echo "bench: no raft packages yet")

# The core side by side with etcd's raft in one process (a nested module,
# raft/etcdbench, so the main module never depends on etcd). Not part of
# make test. Prints the load average first: other work on the machine
# skews the figures.
bench-etcd:
	@uptime
	cd raft/etcdbench && $(GO) test -run '^$$' -bench . -benchmem -count $(or $(COUNT),3) .

sizes: wasm
	$(GO) run ./site/cmd/sizes $(SITE)/raftlab.wasm

clean:
	rm -rf build site/e2e/artifacts
