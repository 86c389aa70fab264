# Small verbs, one job each. `make local` and `make test` work on a fresh clone: they build what they need.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
SAM_VENV := .venv-sam
SAM_CLI_VERSION := 1.170.0
CHECKOV_VENV := .venv-checkov
CHECKOV_VERSION := 3.3.30
REGION ?= us-east-1
FUNCTION ?=
EVENT ?=
ENV ?= default

# sam build runs pip with the python3.13 it finds on PATH: put ours first.
SAM = PATH="$$(dirname "$$(tools/find_python313)"):$$PATH" AWS_DEFAULT_REGION=$(REGION) SAM_CLI_TELEMETRY=0 $(SAM_VENV)/bin/sam

.PHONY: help dev local test lint format build validate invoke deploy bench requirements clean

help: ## list the verbs
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml layers/common/requirements.txt
	tools/ensure_system_packages
	python="$$(tools/find_python313)"; "$$python" -m venv --clear $(VENV)
	$(VENV)/bin/python -m pip install -qq --upgrade 'pip>=25.1'
	$(VENV)/bin/python -m pip install -qq -c layers/common/requirements.txt --group dev -e .
	touch $@

# SAM CLI pins its own boto3 and click: it gets a virtualenv of its own so it never moves the project's pins.
$(SAM_VENV)/.installed:
	tools/ensure_system_packages
	python="$$(tools/find_python313)"; "$$python" -m venv --clear $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install -qq --upgrade pip
	$(SAM_VENV)/bin/python -m pip install -qq aws-sam-cli==$(SAM_CLI_VERSION)
	touch $@

# checkov pins an old boto3 too: a virtualenv of its own.
$(CHECKOV_VENV)/.installed:
	tools/ensure_system_packages
	python="$$(tools/find_python313)"; "$$python" -m venv --clear $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install -qq --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install -qq checkov==$(CHECKOV_VERSION)
	touch $@

dev: $(VENV)/.installed $(SAM_VENV)/.installed $(CHECKOV_VENV)/.installed ## build the virtualenvs (project, SAM CLI, checkov)

local: $(VENV)/.installed ## run every function on its sample events against a local stack (moto + MariaDB)
	$(VENV)/bin/python -m tools.local $(FUNCTION) $(EVENT)

test: dev ## the whole test suite
	$(VENV)/bin/python -m pytest

lint: $(VENV)/.installed $(CHECKOV_VENV)/.installed ## ruff, formatting, mypy strict, cfn-lint, checkov; changes nothing
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/cfn-lint template.yaml
	$(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation -f template.yaml

format: $(VENV)/.installed ## rewrite files with ruff's formatter and safe fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

build: $(SAM_VENV)/.installed ## sam build (arm64 layer and functions)
	$(SAM) build

validate: $(SAM_VENV)/.installed ## sam validate --lint (no network, no credentials)
	$(SAM) validate --lint

invoke: build ## sam local invoke FUNCTION=RotationFunction EVENT=events/rotation/create_secret.json (needs Docker)
	$(SAM) local invoke $(FUNCTION) -e $(EVENT) --env-vars events/env.json

deploy: build $(VENV)/.installed ## sam deploy (ENV=prod for the prod config-env, then termination protection on)
	$(SAM) deploy --config-env $(ENV)
	if [ "$(ENV)" = prod ]; then $(VENV)/bin/python -m tools.protect_stack dbops-prod; fi

bench: $(VENV)/.installed ## run the benchmarks under benchmarks/
	$(VENV)/bin/python -m pytest benchmarks --benchmark-enable -p no:cacheprovider

requirements: $(VENV)/.installed ## re-pin layers/common/requirements.txt from pyproject.toml
	$(VENV)/bin/uv pip compile pyproject.toml --quiet --python-version 3.13 \
		--python-platform aarch64-manylinux_2_28 --custom-compile-command "make requirements" \
		--output-file layers/common/requirements.txt

clean: ## remove virtualenvs and build output
	rm -rf $(VENV) $(SAM_VENV) $(CHECKOV_VENV) .aws-sam .pytest_cache .mypy_cache .ruff_cache
