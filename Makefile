# Loci — the two commands that matter: `make run` and `make test`. Both install what is
# missing, build, then run the server or every test.
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime
export CCACHE_DIR ?= $(HOME)/.cache/loci/ccache

.PHONY: all deps build vectors run test unit-test sanitize format lint bench eval clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

# The word vectors of the built-in embedder: fetched once, converted by the build's loci.
vectors: build
	scripts/install-vectors.sh $(BUILD_DIR)/loci

run: build vectors
	$(BUILD_DIR)/loci serve

test: build vectors
	scripts/check-layers.sh
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) --timeout 600

# Address and undefined-behaviour sanitizers over the same tests, in their own build tree.
sanitize:
	$(MAKE) test BUILD_DIR=build-sanitize CMAKE_FLAGS="-DLOCI_SANITIZE=address,undefined -DLOCI_BUILD_BENCH=OFF"

format: deps
	find src tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

# clang-tidy cannot read GCC's precompiled headers: lint from a configuration without them.
lint: deps
	scripts/check-layers.sh
	cmake -S . -B build-lint -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON > /dev/null
	find src -name '*.cpp' | xargs clang-tidy -p build-lint --quiet

bench: build
	@scripts/install-deps.sh nginx wrk
	bench/run.sh $(BUILD_DIR)

# Retrieval quality on LoCoMo (eval/locomo.py) against a fresh server; EVAL_ARGS go to the tool.
LOCOMO ?= ../shared/eval/locomo-dev.json
eval: build vectors
	eval/run.sh $(BUILD_DIR) $(LOCOMO) $(EVAL_ARGS)

clean:
	rm -rf $(BUILD_DIR) build-sanitize build-lint
