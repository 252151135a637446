# disclosure: consolidate the counties' and departments' open-government statistics.
YEAR ?= 2016
SUBMITTER ?=
WORKSPACE ?= demo
BIN := .build/debug/disclosure
DISCLOSURE = $(BIN) --workspace $(WORKSPACE) --year $(YEAR)

.PHONY: deps test-deps build demo test browser-test fuzz extract transform load report all rerun serve bench clean

# Installs what a fresh Debian machine lacks (run as root); does nothing when all is there.
# PACKAGES build and run the pipeline; TEST_PACKAGES add a headless browser (the report test and
# the serve page driven through chromedriver), LibreOffice and poppler's tools for the PDF fixtures,
# and PostgreSQL 15 (a throwaway server the shared-dataset tests run against). The program itself
# needs no PostgreSQL package: its client (postgres-nio, with BoringSSL for TLS) is Swift, built
# from the package's sources, and links no libpq.
PACKAGES = libxml2-dev libsqlite3-dev libssl-dev zlib1g-dev pkg-config libpoppler-glib-dev
TEST_PACKAGES = chromium chromium-driver fonts-noto-cjk libreoffice-writer-nogui poppler-utils postgresql-15
define install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi
endef

deps:
	$(call install,$(PACKAGES))

test-deps: deps
	$(call install,$(TEST_PACKAGES))

build: deps
	swift build

# The whole job on the shipped fixtures, in a fresh workspace ./demo: 2016 (the 2014 table with
# Shanxi's rows) and 2022 (the national format).
demo: build
	rm -rf demo
	$(BIN) init demo
	cp -Rp Fixtures/2016 demo/inbox/2016
	cp -Rp Fixtures/2022 demo/inbox/2022
	$(BIN) run --workspace demo --year 2016
	$(BIN) run --workspace demo --year 2022
	@echo "报告：$(CURDIR)/demo/out/2016/report.md、$(CURDIR)/demo/out/2022/report.md（及 report.html、report.docx）"
	@echo "在浏览器中查看和处理：make serve，然后打开 http://127.0.0.1:8600/"

# The tests, with a throwaway PostgreSQL (a cluster in a temporary folder, a free port on
# 127.0.0.1) for the shared-dataset suite: started first, stopped and deleted however the tests end.
test: test-deps
	@set -e; dir=$$(mktemp -d /tmp/disclosure-pg-XXXXXX); chmod 755 $$dir; \
	  port=$$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	  trap 'Tools/throwaway-postgres.sh stop '"$$dir/cluster"'; rm -rf '"$$dir" EXIT; \
	  settings=$$(Tools/throwaway-postgres.sh start $$dir/cluster $$port); \
	  echo "PostgreSQL 15 for the tests: 127.0.0.1:$$port ($$dir)"; \
	  env $$settings swift test
	$(MAKE) browser-test
	$(MAKE) fuzz

# `disclosure serve` in headless Chromium: a clerk's season (screenshots in .build/screenshots/).
browser-test:
	python3 Tests/Browser/season_browser_test.py $(BIN)

# The Extract readers under libFuzzer for FUZZ_SECONDS, seeded with every fixture (first byte:
# 0 reads the rest as CSV, 1 as XML, 2 as a PDF worker's output) and the inputs that once failed
# (Fuzz/regressions/).
FUZZ_SECONDS ?= 30
fuzz: deps
	cd Fuzz && swift build --build-path ../.build-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
	@rm -rf .build-fuzz/seeds && mkdir -p .build-fuzz/seeds .build-fuzz/corpus
	@n=0; for f in $$(find Fixtures -type f ! -name '*.py' ! -name '*.pdf' | sort); do n=$$((n+1)); \
	  case "$$f" in *.xml) sel='\001';; *) sel='\000';; esac; \
	  { printf "$$sel"; head -c 20000 "$$f"; } > .build-fuzz/seeds/seed-$$n; done
	cp Fuzz/regressions/* .build-fuzz/seeds/
	python3 Fuzz/pdf_seeds.py .build-fuzz/seeds 20000
	SWIFT_BACKTRACE=enable=no .build-fuzz/debug/ExtractFuzz -max_total_time=$(FUZZ_SECONDS) -max_len=20000 -timeout=10 \
	  -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix=.build-fuzz/ .build-fuzz/corpus .build-fuzz/seeds

extract transform load report: build
	$(BIN) $@ --workspace $(WORKSPACE) --year $(YEAR) $(if $(SUBMITTER),--submitter "$(SUBMITTER)")

all: build
	$(BIN) run --workspace $(WORKSPACE) --year $(YEAR)

# One submitter resubmitted: every stage for it alone, then the city's outputs rebuilt.
rerun: build
	@test -n "$(SUBMITTER)" || { echo "用法：make rerun YEAR=2016 SUBMITTER=盂县"; exit 2; }
	$(BIN) run --workspace $(WORKSPACE) --year $(YEAR) --submitter "$(SUBMITTER)"

# The season's page on this machine (http://127.0.0.1:8600/); LISTEN=0.0.0.0:8600 for the office
# network, after `disclosure serve --set-password`.
serve: build
	$(BIN) serve --workspace $(WORKSPACE) $(if $(LISTEN),--listen $(LISTEN))

# The province-sized benchmark beside DuckDB (corpora cached under .build/bench/), on the release
# binary as it would be deployed: the Swift runtime linked in, so it starts ~10 ms faster.
bench: deps
	swift build -c release --static-swift-stdlib
	python3 Benchmarks/bench.py

clean:
	rm -rf .build .build-fuzz demo
