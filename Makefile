# The portal's commands. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := APP_ENV=$${APP_ENV:-production} FLASK_APP=wsgi.py $(BIN)/flask
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test lint format translations translations-update db demo bench browser-deps nginx-deps clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c 'import secrets; print(secrets.token_hex(32))' > $@
	chmod 600 $@

translations: $(VENV)/.runtime ## Compile the message catalogues (.po -> .mo)
	$(BIN)/pybabel -q compile -d translations

translations-update: $(VENV)/.dev ## Extract messages and update the catalogues
	$(BIN)/pybabel -q extract -F translations/babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o translations/messages.pot webapp
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

db: $(VENV)/.runtime instance/secret_key ## Upgrade the database to the newest migration
	SECRET_KEY=$$(cat instance/secret_key) $(FLASK) db upgrade

demo: db ## Load the demo data (adds nothing that is already there)
	SECRET_KEY=$$(cat instance/secret_key) $(FLASK) demo load

run: translations demo ## Set up and start the site on http://127.0.0.1:8000, the outbox worker and the scheduler (Ctrl-C stops all)
	SECRET_KEY=$${SECRET_KEY:-$$(cat instance/secret_key)} APP_ENV=$${APP_ENV:-production} \
		HOST=$(HOST) PYTHONUNBUFFERED=1 $(BIN)/honcho --no-colour start --procfile Procfile --port $(PORT)

browser-deps: ## Install Debian's chromium for the browser tests (as root, when missing)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium could not be installed: browser tests will be skipped"; \
	else echo "No /usr/bin/chromium and not root: browser tests will be skipped"; fi

nginx-deps: ## Install Debian's nginx for the several-hosts test (as root, when missing)
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's nginx for the several-hosts test"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null) \
		|| echo "nginx could not be installed: the several-hosts test will be skipped"; \
	else echo "No nginx and not root: the several-hosts test will be skipped"; fi

test: $(VENV)/.dev browser-deps nginx-deps ## Set up and run the whole test suite (DATABASE_URL=postgresql+psycopg://... for PostgreSQL)
	$(BIN)/pybabel -q compile -d translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@# The coverage floor of the domain modules holds for the whole suite only.
	@if [ -z "$(PYTEST_ARGS)" ]; then $(BIN)/python scripts/check_coverage.py; fi

lint: $(VENV)/.dev ## Check the code with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.dev ## Run the load benchmark (writes bench/RESULTS.md)
	$(BIN)/python bench/run

clean: ## Remove the virtual environment and caches (keeps instance/)
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage htmlcov
