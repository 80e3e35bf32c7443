# syntax=docker/dockerfile:1
# Build:  docker build -t whatsapp-chatbot .
# Run:    docker run --env-file .env -p 8080:8080 whatsapp-chatbot
# (docker compose up starts it with a Redis that keeps its data: see docker-compose.yml)

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY conf conf
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app bot
WORKDIR /app
COPY --from=build /src/target/whatsapp-chatbot.jar target/whatsapp-chatbot.jar
COPY conf conf
USER bot
# Inside a container the bot listens on every interface, so the published port reaches it, in
# sandbox mode too (which otherwise binds 127.0.0.1). Publish a sandbox on this machine only:
# docker run -e SANDBOX=true -p 127.0.0.1:8080:8080 ...
ENV HTTP_HOST=0.0.0.0
EXPOSE 8080
# SIGTERM stops the service within SHUTDOWN_TIMEOUT (10 s by default); give Docker a little more.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
CMD ["java", "@conf/jvm.options", "-jar", "target/whatsapp-chatbot.jar"]
