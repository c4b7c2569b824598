# A newcomer's two commands: `make site` and `make test`. Both set up .venv
# with the pinned dependencies (constraints.txt) the first time.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve check lock clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

site: $(STAMP)  ## Build the training site into site/
	$(BIN)/playbook build

check: $(STAMP)  ## Validate the content only
	$(BIN)/playbook check

test: $(STAMP)  ## Run the whole test suite (browser tests need /usr/bin/chromium)
	$(BIN)/python -m pytest

serve: $(STAMP)  ## Preview with live reload on http://127.0.0.1:8000
	$(BIN)/playbook serve

lock: $(STAMP)  ## Re-pin constraints.txt after changing dependency ranges
	$(BIN)/python -m pip freeze --exclude-editable --exclude pip > constraints.txt

clean:
	rm -rf $(VENV) build site
