# A newcomer's two commands: `make site` and `make test`. Both set up .venv
# with the pinned dependencies (constraints.txt) the first time.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve check offline lock clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	@echo "Installing pinned dependencies into $(VENV) (log: $(VENV)/install.log)"
	@( $(BIN)/python -m pip install --upgrade "pip>=24" \
	  && $(BIN)/python -m pip install -c constraints.txt -e '.[test]' ) > $(VENV)/install.log 2>&1 \
	  || { cat $(VENV)/install.log; exit 1; }
	@touch $@

site: $(STAMP)  ## Build the training site into site/
	$(BIN)/playbook build

check: $(STAMP)  ## Validate the content only
	$(BIN)/playbook check

test: $(STAMP)  ## Run the whole test suite (browser tests need /usr/bin/chromium)
	$(BIN)/python -m pytest

offline: $(STAMP)  ## Pack the site as site-offline.zip, readable from disk with search
	$(BIN)/playbook offline

serve: $(STAMP)  ## Preview with live reload on http://127.0.0.1:8000
	$(BIN)/playbook serve

lock: $(STAMP)  ## Re-pin constraints.txt after changing dependency ranges
	$(BIN)/python -m pip freeze --exclude-editable --exclude pip > constraints.txt

clean:
	rm -rf $(VENV) build site site-offline.zip
