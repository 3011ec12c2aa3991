# syntax=docker/dockerfile:1.7
# One image pattern for every Spring Boot service (CPU). Build from the repository root:
#   docker build -f docker/service.Dockerfile --build-arg MODULE=task-service -t exit/task-service:0.1.0 .
# MODULE: task-service | rollout-service | trainer-service | gateway. rollout and trainer run the model on the
# CPU libtorch bundled in their jar (nothing is downloaded at start); their GPU image is docker/gpu.Dockerfile.
ARG JAVA_VERSION=17

# --- build: the module's Boot jar, split into Boot's layers (dependencies change rarely, the application often) ---
FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
ARG MODULE
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    test -n "${MODULE}" && ./mvnw -B -q -pl "${MODULE}" -am package -DskipTests \
    && cp "$(ls ${MODULE}/target/${MODULE}-*.jar | grep -v -- '-plain' | head -n 1)" /tmp/app.jar \
    && java -Djarmode=tools -jar /tmp/app.jar extract --layers --launcher --destination /layers

# --- runtime: JRE only, non-root, JVM sized from the container's memory limit ---
FROM eclipse-temurin:${JAVA_VERSION}-jre
ARG MODULE
# Heap share of the container limit: the rest is metaspace, threads and native memory. rollout and trainer keep
# their tensors in libtorch's native memory, so their builds pass a smaller share (see docker-compose.yml).
ARG HEAP_PERCENT=75
RUN groupadd --system --gid 10001 exit && useradd --system --uid 10001 --gid exit --home-dir /app exit \
    && mkdir -p /app/config /app/data /opt/djl && chown -R exit:exit /app /opt/djl
WORKDIR /app
# One COPY per Boot layer, least to most often changed, so a code change rebuilds only the last layer.
COPY --from=build --chown=exit:exit /layers/dependencies/ ./
COPY --from=build --chown=exit:exit /layers/spring-boot-loader/ ./
COPY --from=build --chown=exit:exit /layers/snapshot-dependencies/ ./
COPY --from=build --chown=exit:exit /layers/application/ ./
COPY --chmod=0755 docker/healthcheck /usr/local/bin/healthcheck
ENV SERVICE=${MODULE} \
    DJL_CACHE_DIR=/opt/djl \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=${HEAP_PERCENT} -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError -Djava.security.egd=file:/dev/urandom"
USER 10001:10001
# Spring Boot reads /app/config/application.yml by itself (the working directory's config/): the Helm chart
# mounts its ConfigMap there; compose sets environment variables instead.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=5 CMD ["/usr/local/bin/healthcheck"]
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
