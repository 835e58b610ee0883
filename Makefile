# make setup: system packages + .venv (idempotent, seconds when nothing is missing)
# make demo:  setup, sample scans if absent, then `intake scan` on them
# make test:  setup, then the whole test suite (what .ci/run calls)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tesseract and its Chinese model read the scans; the CJK fonts (eleven families: Song, Kai, Hei,
# handwritten and condensed faces) render the synthetic samples;
# Chromium runs the browser tests of the staff web app; PostgreSQL's server binaries run the web app's
# test on PostgreSQL (tests/test_web_postgres.py starts a throwaway cluster of its own).
APT_PACKAGES := tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-osd fonts-noto-cjk fonts-wqy-zenhei \
	fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming fonts-arphic-gbsn00lp fonts-arphic-gkai00mp \
	fonts-lxgw-wenkai fonts-smiley-sans fonts-droid-fallback fonts-liberation fonts-dejavu-core chromium postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_AS_OF := 2026-11-24

.PHONY: setup system demo test bench samples golden lock clean

setup: system $(STAMP)

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing system packages: $$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# constraints.txt pins every Python package to the versions the golden files and benchmark figures were
# made with: a new onnxruntime moves the recogniser's confidences in the third decimal, and a fresh
# machine would otherwise get whatever the registry holds that day. `make lock` refreshes it.
$(STAMP): pyproject.toml constraints.txt
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

samples/demo:
	$(BIN)/intake samples samples/demo --count 6 --seed 2026 --as-of $(DEMO_AS_OF)

demo: setup samples/demo
	$(BIN)/intake scan samples/demo --out out/demo --as-of $(DEMO_AS_OF)

test: setup
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

bench: setup
	$(BIN)/python bench/accuracy.py --count 30 --seed 7

golden: setup
	$(BIN)/python -m tests.golden --update

lock: setup
	$(BIN)/python -m pip install -q --upgrade -e '.[dev]'
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt

clean:
	rm -rf out .pytest_cache
