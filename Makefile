# A newcomer's two commands: `make site` and `make test`. Both set up .venv with the
# pinned dependencies (constraints.txt) the first time: `make site` only what the site
# needs, `make test` the test tools as well.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_STAMP := $(VENV)/.site-installed
TEST_STAMP := $(VENV)/.test-installed
export NO_MKDOCS_2_WARNING := 1
#: The trainer data folder for `make assign`, `make record` and `make report` (the README's example team by default).
TRAINING ?= $(or $(PLAYBOOK_TRAINING),examples/training)

.PHONY: site test lint serve check offline lms assign record report schemas zensical bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(SITE_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	@echo "Installing the site's pinned dependencies into $(VENV) (log: $(VENV)/install.log)"
	@( $(BIN)/python -m pip install --upgrade "pip>=24" \
	  && $(BIN)/python -m pip install -c constraints.txt -e . ) > $(VENV)/install.log 2>&1 \
	  || { cat $(VENV)/install.log; exit 1; }
	@touch $@

$(TEST_STAMP): $(SITE_STAMP) package.json package-lock.json
	@echo "Installing the test tools into $(VENV) and node_modules/ (log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install -c constraints.txt -e '.[test]' >> $(VENV)/install.log 2>&1 \
	  || { cat $(VENV)/install.log; exit 1; }
	@# The LMS tests' SCORM runtime (scorm-again), exactly as package-lock.json pins it.
	@npm ci --ignore-scripts --no-audit --no-fund >> $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $@

site: $(SITE_STAMP)  ## Build the training site into site/ (PLAYBOOK_SITE_URL=... sets the published address)
	$(BIN)/playbook build $(if $(PLAYBOOK_SITE_URL),--site-url "$(PLAYBOOK_SITE_URL)")

check: $(SITE_STAMP)  ## Validate the content only
	$(BIN)/playbook check

lint: $(TEST_STAMP)  ## ruff, and the package's import boundaries (import-linter contracts in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint  ## Lint, then run the whole test suite (browser tests need /usr/bin/chromium)
	$(BIN)/python -m pytest

offline: $(SITE_STAMP)  ## Pack the site as site-offline.zip, readable from disk with search
	$(BIN)/playbook offline

lms: $(SITE_STAMP)  ## SCORM 1.2 and cmi5 packages of every learning path and module, in lms/
	$(BIN)/playbook lms --format scorm12
	$(BIN)/playbook lms --format cmi5

serve: $(SITE_STAMP)  ## Preview with live reload on http://127.0.0.1:8000
	$(BIN)/playbook serve

assign: $(SITE_STAMP)  ## Plans and calendars from the trainer data: make assign TRAINING=DIR
	$(BIN)/playbook assign --training "$(TRAINING)"

record: $(SITE_STAMP)  ## Add learners' receipts to completions.yml: make record TRAINING=DIR FILES="ben.json mail.eml"
	$(BIN)/playbook record --training "$(TRAINING)" $(FILES)

report: $(SITE_STAMP)  ## The training matrix from the trainer data: make report TRAINING=DIR
	$(BIN)/playbook report --training "$(TRAINING)"

schemas: $(SITE_STAMP)  ## Refresh the editor schemas in schemas/
	$(BIN)/playbook schema --out schemas

zensical: $(TEST_STAMP)  ## Build the staged tree with Zensical too (portability check), its search index included
	$(BIN)/playbook build
	cd build && ../$(BIN)/zensical build -f mkdocs.yml
	$(BIN)/python -c 'import pathlib, playbook.site.search as s; s.index(pathlib.Path("build/site"))'

bench: $(TEST_STAMP)  ## Measure what people wait for (build, preview, page weight); writes bench/results.md
	$(BIN)/python scripts/bench.py

lock: $(TEST_STAMP)  ## Re-pin constraints.txt after changing dependency ranges
	$(BIN)/python -m pip freeze --exclude-editable --exclude pip > constraints.txt

clean:
	rm -rf $(VENV) build site site-offline.zip lms node_modules
