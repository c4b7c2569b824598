# A newcomer's two commands: `make site` and `make test`. Both set up .venv
# with the pinned dependencies (constraints.txt) the first time.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve check offline schemas zensical bench lock clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	@echo "Installing pinned dependencies into $(VENV) (log: $(VENV)/install.log)"
	@( $(BIN)/python -m pip install --upgrade "pip>=24" \
	  && $(BIN)/python -m pip install -c constraints.txt -e '.[test]' ) > $(VENV)/install.log 2>&1 \
	  || { cat $(VENV)/install.log; exit 1; }
	@touch $@

site: $(STAMP)  ## Build the training site into site/ (PLAYBOOK_SITE_URL=... sets the published address)
	$(BIN)/playbook build $(if $(PLAYBOOK_SITE_URL),--site-url "$(PLAYBOOK_SITE_URL)")

check: $(STAMP)  ## Validate the content only
	$(BIN)/playbook check

test: $(STAMP)  ## Run the whole test suite (browser tests need /usr/bin/chromium)
	$(BIN)/python -m pytest

offline: $(STAMP)  ## Pack the site as site-offline.zip, readable from disk with search
	$(BIN)/playbook offline

serve: $(STAMP)  ## Preview with live reload on http://127.0.0.1:8000
	$(BIN)/playbook serve

schemas: $(STAMP)  ## Refresh the editor schemas in schemas/
	$(BIN)/playbook schema --out schemas

zensical: $(STAMP)  ## Build the staged tree with Zensical too (portability check)
	$(BIN)/playbook build
	cd build && ../$(BIN)/zensical build -f mkdocs.yml

bench: $(STAMP)  ## Measure generator overhead and scaling; writes bench/results.md
	$(BIN)/python scripts/bench.py

lock: $(STAMP)  ## Re-pin constraints.txt after changing dependency ranges
	$(BIN)/python -m pip freeze --exclude-editable --exclude pip > constraints.txt

clean:
	rm -rf $(VENV) build site site-offline.zip
