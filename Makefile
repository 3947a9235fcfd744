# podnet — plain Makefile in the redis manner: objects in build/, automatic header
# dependencies, quiet output unless V=1, pkg-config for every library.

PREFIX    ?= /usr/local
CC        ?= cc
LIBS_PC   := yaml-0.1 libcjson sqlite3 libgvc libmd
# What tests/integrations meets podnet with: kubectl (the plugin), man, YAML for the CI files.
# A build that runs no tests may leave them out: make deps TOOL_PKGS=
TOOL_PKGS := kubernetes-client man-db groff-base python3-yaml
DEB_PKGS  := build-essential pkg-config libyaml-dev libcjson-dev libsqlite3-dev libgraphviz-dev \
             libcmocka-dev libmd-dev libxml2-utils python3-jsonschema clang libclang-rt-dev \
             sqlite3 $(TOOL_PKGS)
PKG_CFLAGS = $(shell pkg-config --cflags $(LIBS_PC) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(LIBS_PC) 2>/dev/null)

WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter
ifdef CI
WARN      += -Werror
endif
STD       := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT       ?= -O2 -g
SAN       := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
INCS      := -I. 
CFLAGS_ALL = $(STD) $(WARN) $(INCS) $(PKG_CFLAGS) -MMD -MP -DPN_LABS_DIR='"$(PREFIX)/share/podnet/labs"'

ifeq ($(V),1)
Q :=
else
Q := @
endif

MODELS    := $(wildcard models/*.c)
# The layers, bottom up (docs/architecture.md); each includes only the ones before it.
LAYERS    := sim/base models sim/input sim/world sim/engine sim/query sim/output viz sim/run
LIBSRC    := $(foreach d,$(LAYERS),$(wildcard $(d)/*.c))
TOOLSRC   := $(wildcard sim/tool/*.c)
UNIT      := $(wildcard tests/unit/test_*.c)

OBJ       := $(LIBSRC:%.c=build/rel/%.o)
SANOBJ    := $(LIBSRC:%.c=build/san/%.o)
# The instance-type table, generated from data/aws/instance-limits.csv (models/instance.h).
OBJ       += build/rel/gen/instances.o
SANOBJ    += build/san/gen/instances.o
TOOLOBJ   := $(TOOLSRC:%.c=build/rel/%.o)
SANTOOLOBJ := $(TOOLSRC:%.c=build/san/%.o)
# The library every program links: podnet, the unit tests, the benchmarks.
LIB       := build/rel/libpodnet.a
SANLIB    := build/san/libpodnet.a

.PHONY: all deps test unit cli readme conformance scenarios diffs engines lintscenarios crash fuzz-quick integrations bench fuzz fuzz-build lint format install demo clean

all: podnet

$(LIB): $(OBJ)
	@echo "  AR    $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(SANLIB): $(SANOBJ)
	@echo "  AR    $@"
	$(Q)rm -f $@ && ar rcs $@ $^

podnet: $(TOOLOBJ) $(LIB)
	@echo "  LINK  $@"
	$(Q)$(CC) $(OPT) -o $@ $(TOOLOBJ) $(LIB) $(PKG_LIBS) -lm

build/rel/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	$(Q)$(CC) $(OPT) $(CFLAGS_ALL) -c -o $@ $<

build/san/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $< (asan+ubsan)"
	$(Q)$(CC) $(SAN) $(CFLAGS_ALL) -c -o $@ $<

build/gen/instances.c: data/aws/instance-limits.csv tools/gen_instances.awk
	@mkdir -p $(dir $@)
	@echo "  GEN   $@"
	$(Q)LC_ALL=C awk -f tools/gen_instances.awk data/aws/instance-limits.csv > $@.tmp \
	  && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }

build/rel/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	$(Q)$(CC) $(OPT) $(CFLAGS_ALL) -c -o $@ $<

build/san/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@echo "  CC    $< (asan+ubsan)"
	$(Q)$(CC) $(SAN) $(CFLAGS_ALL) -c -o $@ $<

build/san/podnet: $(SANTOOLOBJ) $(SANLIB)
	@echo "  LINK  $@"
	$(Q)$(CC) $(SAN) -o $@ $(SANTOOLOBJ) $(SANLIB) $(PKG_LIBS) -lm

build/san/tests/unit/%: tests/unit/%.c $(SANLIB)
	@mkdir -p $(dir $@)
	@echo "  CC    $< (cmocka, asan+ubsan)"
	$(Q)$(CC) $(SAN) $(CFLAGS_ALL) -o $@ $< $(SANLIB) $(PKG_LIBS) -lcmocka -lm

# Installs what is missing from Debian (nothing is vendored or downloaded).
# kubernetes-client is wanted for its kubectl command: a kubectl from another package (the
# Kubernetes project's own apt repository, Google Cloud's) will do, and Debian's package
# cannot be installed next to it (both ship /usr/bin/kubectl).
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  if [ "$$p" = kubernetes-client ] && command -v kubectl >/dev/null 2>&1; then continue; fi; \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "  APT  $$missing"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

UNIT_BINS := $(UNIT:tests/unit/%.c=build/san/tests/unit/%)

# Every test under AddressSanitizer and UndefinedBehaviorSanitizer.
test: deps
	$(Q)$(MAKE) --no-print-directory podnet build/san/podnet
	$(Q)sh tests/run-all.sh

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do \
	  $$t || fail=1; \
	done; exit $$fail

# Graphviz and fontconfig keep memory to the end of the process: their leaks are suppressed.
LSAN := LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

cli: build/san/podnet
	$(Q)$(LSAN) PODNET=build/san/podnet PODNET_LABS=$(CURDIR)/scenarios/labs sh tests/cli/run.sh

# The README's tour, run as pasted (every file it names must ship).
readme: build/san/podnet
	$(Q)$(LSAN) PODNET=build/san/podnet sh tests/readme/run.sh

conformance: build/san/podnet
	$(Q)PODNET=build/san/podnet sh tests/conformance/run.sh

scenarios: build/san/podnet
	$(Q)PODNET=build/san/podnet sh scenarios/run.sh

diffs: build/san/podnet
	$(Q)PODNET=build/san/podnet sh tests/diff/run.sh

# snapshot against a stand-in kubectl and aws, the plugin, completion, the man page, CI files.
integrations: build/san/podnet podnet
	$(Q)$(LSAN) PODNET=build/san/podnet sh tests/integrations/run.sh

engines: build/san/podnet build/gencluster
	$(Q)PODNET=build/san/podnet sh tests/engines/run.sh

# podnet lint over every shipped scenario world; its SARIF against the 2.1.0 schema.
lintscenarios: build/san/podnet
	$(Q)PODNET=build/san/podnet sh tests/lint/run.sh

# The results store under kill -9 (needs the sqlite3 command: make deps).
crash: build/san/podnet build/gencluster
	$(Q)PODNET=build/san/podnet sh tests/crash/run.sh

# The main job on the bundled example: the shop's truth table for its three tiers' ports.
demo: deps
	$(Q)$(MAKE) --no-print-directory podnet
	./podnet reach -f scenarios/ci/three-tier/manifests --port 8080 --port 9090 --port 5432

build/gencluster: bench/gencluster.c
	@mkdir -p build
	$(Q)$(CC) -O2 $(STD) $(WARN) -o $@ $<

build/engine_bench: bench/engine_bench.c build/rel/sim/engine/engine.o build/rel/sim/base/arena.o
	$(Q)$(CC) -O2 $(STD) $(WARN) $(INCS) -o $@ $^

build/incremental_bench: bench/incremental_bench.c $(LIB)
	$(Q)$(CC) -O2 $(CFLAGS_ALL) -o $@ $^ $(PKG_LIBS) -lm

build/yamlloop: bench/yamlloop.c
	$(Q)$(CC) -O2 $(STD) $(WARN) -o $@ $< $(PKG_CFLAGS) $(PKG_LIBS)

bench: podnet build/gencluster build/engine_bench build/incremental_bench build/yamlloop
	$(Q)sh bench/run.sh

# The libFuzzer targets (tests/fuzz/fuzz_*.c): the library and the command line (less main.c)
# built by clang with coverage, ASan and UBSan. make fuzz runs each for FUZZ_SECONDS; make test
# runs each for a few seconds (fuzz-quick).
FUZZCC    ?= clang
FUZZSAN   := -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
             -fno-sanitize-recover=all
FUZZCFLAGS = $(STD) $(INCS) $(PKG_CFLAGS) -MMD -MP -DPN_LABS_DIR='"$(PREFIX)/share/podnet/labs"'
FUZZOBJ   := $(LIBSRC:%.c=build/fuzz/obj/%.o) build/fuzz/obj/gen/instances.o \
             $(patsubst %.c,build/fuzz/obj/%.o,$(filter-out sim/tool/main.c,$(TOOLSRC)))
FUZZERS   := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $< (libFuzzer, asan+ubsan)"
	$(Q)$(FUZZCC) $(FUZZSAN) $(FUZZCFLAGS) -c -o $@ $<

build/fuzz/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@echo "  CC    $< (libFuzzer, asan+ubsan)"
	$(Q)$(FUZZCC) $(FUZZSAN) $(FUZZCFLAGS) -c -o $@ $<

build/fuzz/libpodnet.a: $(FUZZOBJ)
	@echo "  AR    $@"
	$(Q)rm -f $@ && ar rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/libpodnet.a
	@echo "  LINK  $@"
	$(Q)$(FUZZCC) $(subst fuzzer-no-link,fuzzer,$(FUZZSAN)) $(FUZZCFLAGS) -o $@ $< \
	  build/fuzz/libpodnet.a $(PKG_LIBS) -lm

fuzz-build: $(FUZZERS)

FUZZ_SECONDS ?= 60
fuzz:
	$(Q)sh tests/fuzz/run.sh $(FUZZ_SECONDS)

# In make test the fuzzers replay their seeds and then a fixed, seeded number of mutations, so
# that a test run is the same run every time (make fuzz is the open-ended search).
fuzz-quick:
	$(Q)FUZZ_ARGS="-seed=1 -runs=3000" sh tests/fuzz/run.sh 60

CODE := $(wildcard sim/*/*.[ch] models/*.[ch] viz/*.[ch] tests/unit/*.[ch] tests/fuzz/*.[ch] bench/*.c)

# Banned functions (STYLE.md), formatting (.clang-format) and the layering rule
# (docs/architecture.md: an include points to the same layer or a lower one, never a cycle).
lint:
	$(Q)! grep -nE '\b(sprintf|vsprintf|strcat|strncat|gets|strtok|rand|srand)\s*\(' $(CODE) \
	  || (echo "lint: banned function (see STYLE.md)"; exit 1)
	$(Q)clang-format --dry-run --Werror $(CODE)
	$(Q)sh tools/check_layers.sh -v

format:
	$(Q)clang-format -i $(CODE)

# The man page and completion scripts, generated from the command and flag tables.
podnet.1: podnet
	@echo "  GEN   $@"
	$(Q)./podnet man > $@.tmp && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }

build/completion/podnet.bash: podnet
	@mkdir -p $(dir $@)
	$(Q)./podnet completion bash > $@

# kubectl-podnet makes podnet a kubectl plugin: kubectl podnet reach ... runs podnet reach ....
install: podnet podnet.1 build/completion/podnet.bash
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/podnet \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 podnet $(DESTDIR)$(PREFIX)/bin/podnet
	ln -sf podnet $(DESTDIR)$(PREFIX)/bin/kubectl-podnet
	install -m 644 podnet.1 $(DESTDIR)$(PREFIX)/share/man/man1/podnet.1
	install -m 644 build/completion/podnet.bash \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/podnet
	cp -R scenarios/labs scenarios/ci $(DESTDIR)$(PREFIX)/share/podnet/

clean:
	rm -rf build podnet podnet.1

-include $(shell find build -name '*.d' 2>/dev/null)
