# Digital Bridge forum backend. `make run` and `make test` work on a fresh machine with
# Python 3.11+; system packages (PostgreSQL, Chromium, fonts) come from apt when missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
WORKERS ?= 2
export FLASK_APP := app

APT_PACKAGES_TEST := postgresql chromium fonts-dejavu-core poppler-utils faketime nginx redis-server
APT_PACKAGES_RUN  := fonts-dejavu-core

.PHONY: run test test-js test-dates scale-out lint bench install install-test system-deps-run system-deps-test migrate demo vendor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

# Installs Debian packages that are missing (needs root or sudo).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing system packages:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system-deps-run:
	$(call apt_install,$(APT_PACKAGES_RUN))

system-deps-test:
	$(call apt_install,$(APT_PACKAGES_TEST))

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

vendor: $(if $(wildcard package.json),node_modules/.installed,)

migrate: install
	mkdir -p instance
	$(BIN)/flask db upgrade

demo: migrate
	$(BIN)/flask forum demo
	@test -f instance/demo-admin.txt || { \
		pw=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(12))'); \
		$(BIN)/flask forum create-admin --email admin@digitalbridge.kz --name "Demo organizer" --password "$$pw" \
		&& umask 077 && printf 'admin@digitalbridge.kz %s\n' "$$pw" > instance/demo-admin.txt; }
	@test -f instance/demo-scanner-token.txt || { \
		tok=$$($(BIN)/flask forum scanner-token --gate main-entrance --name "Demo scanner") \
		&& umask 077 && printf '%s\n' "$$tok" > instance/demo-scanner-token.txt; }

run: system-deps-run install vendor demo
	@echo ""
	@echo "  Registration page:  http://$(HOST):$(PORT)/register"
	@echo "  API + OpenAPI:      http://$(HOST):$(PORT)/api/v1/openapi.json"
	@echo "  Scanner (main-entrance): http://$(HOST):$(PORT)/scanner#token=$$(cat instance/demo-scanner-token.txt)"
	@echo "  Demo organizer:     $$(cat instance/demo-admin.txt)   (POST /api/v1/auth/tokens)"
	@echo ""
	@# gunicorn.conf.py (read from here) sets the workers up: gthread, a deadline for bodies.
	FORUM_BIND=$(HOST):$(PORT) FORUM_WORKERS=$(WORKERS) $(BIN)/gunicorn wsgi:app

lint: $(VENV)/.installed-test
	$(BIN)/ruff check forum tests bench app.py wsgi.py

test: system-deps-test install-test vendor lint test-js
	FORUM_REQUIRE_POSTGRES=1 $(BIN)/pytest

# The scanner's offline verifier under node's own test runner, on the entrance rule's cases
# shared with the server's tests (tests/checkin/entrance_rule_cases.json).
test-js:
	node --test tests/js/

# The suite again with the system clock 400 days ahead and 180 days back (libfaketime, the
# clock still moving): a test that only passes on today's date fails here. CI runs it.
FAKETIME_OFFSETS ?= +400d -180d
test-dates: system-deps-test install-test vendor
	@for offset in $(FAKETIME_OFFSETS); do \
		echo "== the suite with the clock at $$offset: $$(faketime -f "$$offset" date -u)"; \
		FORUM_REQUIRE_POSTGRES=1 faketime -f "$$offset" $(BIN)/pytest -q || exit 1; \
	done

# nginx in front of two gunicorn instances, one PostgreSQL, one Redis (all on 127.0.0.1): a
# registration and a scan rush with one instance killed midway (tests/test_scale_out.py, also
# part of `make test`); -s prints what it measured, the revoked scanner's delay among it.
scale-out: system-deps-test install-test
	FORUM_REQUIRE_POSTGRES=1 $(BIN)/pytest -s tests/test_scale_out.py

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache

# Benchmarks (DESIGN §8): the forum against bench/reference.py under the same gunicorn settings,
# on SQLite and a throwaway PostgreSQL; bounded in time, not part of the test suite.
BENCH_ARGS ?= --scenario all --db both --duration 10
bench: install-test
	$(call apt_install,wrk postgresql)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/badges_pdf.py --participants 21000 --jobs 1 2
	$(BIN)/python bench/search.py --db both --sizes 20000 200000
	$(BIN)/python bench/rosters.py --participants 20000
	$(BIN)/python bench/rosters.py --participants 20000 --postgres
	$(BIN)/python bench/bundle.py --participants 20000
	$(BIN)/python bench/mail.py --participants 20000
