# Two commands on a fresh machine: `make run` and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# 127.0.0.1 serves this computer only; HOST=0.0.0.0 serves a training room's network.
HOST ?= 127.0.0.1
WORKERS ?= 3
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install run serve test test-fast test-sqlite test-postgres lint bench lock clean

install: $(VENV)/.installed

# Installs the pinned versions of requirements/constraints.txt (see `make lock`).
$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements/constraints.txt -e '.[test,dev]'
	touch $@

# Set up (idempotently) and serve with gunicorn; whitenoise serves the static files. The
# task worker (exports, data retention, news to LINE followers) runs beside it and stops with it.
run: install
	$(BIN)/volunteerkm migrate --noinput -v0
	$(BIN)/volunteerkm loadkm content
	$(BIN)/volunteerkm loadquestions content/questions
	$(BIN)/volunteerkm collectstatic --noinput -v0
	$(BIN)/volunteerkm schedule_retention
	$(BIN)/volunteerkm schedule_review_reminders
	@if [ "$(HOST)" != "127.0.0.1" ]; then \
		echo "โทรศัพท์ในห้องเปิดได้ที่ (ที่อยู่ของเครื่องนี้ในเครือข่าย):"; \
		for ip in $$(hostname -I 2>/dev/null); do echo "  http://$$ip:$(PORT)/j/"; done; \
	fi
	$(BIN)/volunteerkm db_worker --no-reload --queue-name '*' -v1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$$(if [ "$(HOST)" != "127.0.0.1" ]; then echo "127.0.0.1,localhost,[::1],$$(hostname -I 2>/dev/null | tr ' ' ',')"; else echo "127.0.0.1,localhost,[::1]"; fi)}" \
		$(BIN)/gunicorn volunteerkm.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

# The two runs go side by side: each mostly waits on its servers and browsers, so together
# they take little longer than one. Each prints its output whole when it ends.
test: install
	$(BIN)/volunteerkm collectstatic --noinput -v0
	@echo "== the suite on SQLite and on PostgreSQL, side by side (about 10 minutes; each prints when it ends) =="
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

# The suite on SQLite without the browser tests (Chromium, gunicorn) and the API fuzzing: quick, while working.
test-fast: install
	$(BIN)/volunteerkm collectstatic --noinput -v0
	$(BIN)/pytest -q -m "not browser and not fuzz"

test-sqlite:
	@echo "== test suite on SQLite =="
	$(BIN)/pytest -q

# The same suite on PostgreSQL when one answers at $(PG_URL); otherwise say so and skip.
test-postgres:
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== test suite on PostgreSQL ($(PG_URL)) =="; \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -q; \
	else \
		echo "SKIPPED: no PostgreSQL answers at $(PG_URL); the PostgreSQL run of the suite was skipped."; \
	fi

# ruff (style, bugs, imports) and import-linter (the layers in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Every benchmark, one after the other; each prints its figures (README, "Benchmarks").
bench: install
	$(BIN)/pip install -q -c requirements/constraints.txt -e '.[bench]'
	$(BIN)/python bench/search_quality.py
	$(BIN)/python bench/search_latency.py
	$(BIN)/python bench/training_day.py
	$(BIN)/python bench/training_day.py --db postgres --pg-url $(PG_URL)
	$(BIN)/python bench/analytics_scale.py
	$(BIN)/python bench/line_webhook.py
	$(BIN)/python bench/page_weight.py

# Upgrade the pinned versions: resolve pyproject.toml's ranges afresh, then `make install`.
lock: install
	$(BIN)/pip-compile -q --upgrade --all-extras --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements/constraints.txt pyproject.toml

clean:
	rm -rf $(VENV) var
