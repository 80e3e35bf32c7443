# The bot's image. Base images are build arguments (defaults: the official Temurin images), so the
# same file builds on images of your own registry, or offline on Debian-built ones (scripts/docker-smoke).
#
#   docker build -t whatsapp-chatbot .                        # builds the jar from source (Maven stage)
#   mvn -B package && docker build --target prebuilt -t whatsapp-chatbot .
#                                                             # packages the jar built outside Docker
#   docker run --env-file .env -p 127.0.0.1:8080:8080 whatsapp-chatbot
#
# docker compose up starts it with a Redis that keeps its data: see docker-compose.yml.
# Stages are in this order on purpose: the classic builder (DOCKER_BUILDKIT=0) builds every stage
# before the target, so `--target prebuilt` never needs the Maven image.

ARG JRE_IMAGE=eclipse-temurin:17-jre
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17

# ---- what every variant runs on: a JRE, curl for the health check, a user that is not root ----
FROM ${JRE_IMAGE} AS runtime
RUN if ! command -v curl >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*; \
    fi \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin bot
WORKDIR /app
COPY conf conf
# Inside a container the bot listens on every interface, so the published port reaches it, in
# sandbox mode too (which otherwise binds 127.0.0.1). Publish a sandbox on this machine only:
# docker run -e SANDBOX=true -p 127.0.0.1:8080:8080 ...
ENV HTTP_HOST=0.0.0.0
EXPOSE 8080
# SIGTERM stops the service within SHUTDOWN_TIMEOUT (10 s by default); give Docker a little more
# (docker stop -t 15, compose's stop_grace_period).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
USER bot
CMD ["java", "@conf/jvm.options", "-jar", "target/whatsapp-chatbot.jar"]

# ---- the jar built outside Docker (`mvn package`): what CI tests, byte for byte ----
FROM runtime AS prebuilt
COPY target/whatsapp-chatbot.jar target/whatsapp-chatbot.jar

# ---- the jar built from source, in a Maven stage ----
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY conf conf
RUN mvn -B -q -DskipTests package

# ---- the default: the image built from source ----
FROM runtime AS app
COPY --from=build /src/target/whatsapp-chatbot.jar target/whatsapp-chatbot.jar
