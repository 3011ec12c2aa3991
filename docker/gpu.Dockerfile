# syntax=docker/dockerfile:1.7
# GPU image for rollout-service and trainer-service (CUDA 12.8, DJL's cu128 libtorch 2.7.1). Build from the root:
#   docker build -f docker/gpu.Dockerfile --build-arg MODULE=rollout-service -t exit/rollout-service:0.1.0-gpu .
#
# Device settings (documented in README, Deployment):
# - libtorch: DJL's own cu128 build of PyTorch 2.7.1, fetched here at build time from DJL's download site into the
#   DJL cache layout (the files DJL itself would download at first start), so nothing is downloaded at start
#   (-Dai.djl.offline=true). PYTORCH_LIBRARY_PATH points DJL at it, ahead of the CPU libtorch bundled in the jar.
# - tokenizer: DJL's HF tokenizers pick a CUDA build of their native library when CUDA is visible and try to
#   download it; RUST_FLAVOR=cpu forces the CPU build that is bundled in the jar.
# - the service's device setting (exit.rollout.device / exit.trainer.device) stays `auto` (GPU when visible) or
#   `gpu` (fail at start without one); the container needs a GPU reservation (compose profile `gpu`, Helm
#   `rollout.gpu.enabled` / `trainer.gpu.enabled`) and the NVIDIA container toolkit on the node.
ARG JAVA_VERSION=17
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04

FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
ARG MODULE
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    case "${MODULE}" in rollout-service|trainer-service) ;; *) echo "MODULE must be rollout-service or trainer-service" >&2; exit 1;; esac \
    && ./mvnw -B -q -pl "${MODULE}" -am package -DskipTests \
    && cp "$(ls ${MODULE}/target/${MODULE}-*.jar | grep -v -- '-plain' | head -n 1)" /tmp/app.jar \
    && java -Djarmode=tools -jar /tmp/app.jar extract --layers --launcher --destination /layers

# DJL's cu128 libtorch and its JNI library, laid out as DJL's cache: pytorch/<version>-<flavor>-<classifier>/.
FROM eclipse-temurin:${JAVA_VERSION}-jdk AS libtorch
ARG PYTORCH_VERSION=2.7.1
ARG PYTORCH_FLAVOR=cu128
ARG DJL_VERSION=0.36.0
ARG CLASSIFIER=linux-x86_64
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates gzip && rm -rf /var/lib/apt/lists/*
RUN set -eu; \
    dir="/opt/djl/pytorch/${PYTORCH_VERSION}-${PYTORCH_FLAVOR}-${CLASSIFIER}"; mkdir -p "$dir"; \
    base="https://publish.djl.ai/pytorch/${PYTORCH_VERSION}"; \
    curl -fsSL "$base/files.txt" | grep "^${PYTORCH_FLAVOR}/${CLASSIFIER}/native/lib/" > /tmp/files.txt; \
    test -s /tmp/files.txt; \
    while read -r f; do name="$(basename "$f" .gz)"; curl -fsSL "$base/$f" | gunzip > "$dir/$name"; done < /tmp/files.txt; \
    curl -fsSL "$base/jnilib/${DJL_VERSION}/${CLASSIFIER}/${PYTORCH_FLAVOR}/libdjl_torch.so" \
        -o "$dir/${DJL_VERSION}-libdjl_torch.so"; \
    test -s "$dir/libtorch.so"

FROM ${CUDA_IMAGE}
ARG MODULE
ARG JAVA_VERSION=17
ARG PYTORCH_VERSION=2.7.1
ARG PYTORCH_FLAVOR=cu128
ARG CLASSIFIER=linux-x86_64
# The JVM keeps a small heap; the model lives in GPU memory and libtorch's native memory.
ARG HEAP_PERCENT=40
COPY --from=eclipse-temurin:17-jre /opt/java/openjdk /opt/java/openjdk
RUN groupadd --system --gid 10001 exit && useradd --system --uid 10001 --gid exit --home-dir /app exit \
    && mkdir -p /app/config /app/data && chown -R exit:exit /app
COPY --from=libtorch --chown=exit:exit /opt/djl /opt/djl
WORKDIR /app
COPY --from=build --chown=exit:exit /layers/dependencies/ ./
COPY --from=build --chown=exit:exit /layers/spring-boot-loader/ ./
COPY --from=build --chown=exit:exit /layers/snapshot-dependencies/ ./
COPY --from=build --chown=exit:exit /layers/application/ ./
COPY --chmod=0755 docker/healthcheck /usr/local/bin/healthcheck
ENV SERVICE=${MODULE} \
    JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:${PATH} \
    DJL_CACHE_DIR=/opt/djl \
    PYTORCH_VERSION=${PYTORCH_VERSION} \
    PYTORCH_FLAVOR=${PYTORCH_FLAVOR} \
    PYTORCH_LIBRARY_PATH=/opt/djl/pytorch/${PYTORCH_VERSION}-${PYTORCH_FLAVOR}-${CLASSIFIER} \
    RUST_FLAVOR=cpu \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=${HEAP_PERCENT} -XX:InitialRAMPercentage=10 -XX:+ExitOnOutOfMemoryError -Dai.djl.offline=true"
USER 10001:10001
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=5 CMD ["/usr/local/bin/healthcheck"]
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
