package io.wabot.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The environment variables the service reads, in one table.
 *
 * <p>Environment values are flat strings; this table maps each to the nested setting it overrides.
 * Values stay strings here (a phone number id must not become a number); the config records convert
 * and validate them. docs/configuration.md's table is checked against this list by a test.
 */
public final class EnvBindings {

  public static final List<EnvBinding> ALL = List.of(
      EnvBinding.plain("HTTP_PORT", "http.port", "8080"),
      EnvBinding.plain("HTTP_HOST", "http.host", "0.0.0.0"),
      EnvBinding.plain("REDIS_URL", "redis.url", "redis://localhost:6379"),
      EnvBinding.plain("REDIS_MODE", "redis.mode", "sentinel"),
      EnvBinding.plain("REDIS_MASTER_NAME", "redis.masterName", "mymaster"),
      EnvBinding.secret("WHATSAPP_ACCESS_TOKEN", "whatsapp.accessToken", "EAAGm0PX4ZCps... (a permanent system-user token from Meta Business Settings)"),
      EnvBinding.plain("WHATSAPP_PHONE_NUMBER_ID", "whatsapp.phoneNumberId", "106540352242922"),
      EnvBinding.secret("WHATSAPP_APP_SECRET", "whatsapp.appSecret", "3f1c9e... (Meta app dashboard > App settings > Basic > App secret)"),
      EnvBinding.secret("WHATSAPP_VERIFY_TOKEN", "whatsapp.verifyToken", "a-long-random-string (the same text you type into Meta's webhook form)"),
      EnvBinding.plain("WHATSAPP_API_BASE_URL", "whatsapp.apiBaseUrl", "https://graph.facebook.com"),
      EnvBinding.plain("WHATSAPP_API_VERSION", "whatsapp.apiVersion", "v23.0"),
      EnvBinding.plain("WHATSAPP_BUSINESS_ACCOUNT_ID", "whatsapp.businessAccountId", "102290129340398"),
      EnvBinding.plain("WHATSAPP_CATALOG_ID", "whatsapp.catalogId", "367025965434465"),
      EnvBinding.secret("WHATSAPP_FLOWS_PRIVATE_KEY", "flows.privateKey", "/run/secrets/flows-private.pem (a PEM file or the PEM text; scripts/flows-keys makes one)"),
      EnvBinding.secret("WHATSAPP_FLOWS_PRIVATE_KEY_PASSPHRASE", "flows.privateKeyPassphrase", "the passphrase the key was encrypted with"),
      EnvBinding.plain("WHATSAPP_MAX_MESSAGES_PER_SECOND", "sender.maxMessagesPerSecond", "80"),
      EnvBinding.secret("BETTERSTACK_SOURCE_TOKEN", "betterstack.sourceToken", "zKmP3x... (Better Stack > Logs > Sources > your source > Source token)"),
      EnvBinding.plain("BETTERSTACK_INGEST_URL", "betterstack.ingestUrl", "https://in.logs.betterstack.com"),
      EnvBinding.secret("BETTERSTACK_HEARTBEAT_URL", "betterstack.heartbeatUrl", "https://uptime.betterstack.com/api/v1/heartbeat/<token> (Better Stack > Uptime > Heartbeats > your heartbeat)"),
      EnvBinding.secret("ADMIN_TOKEN", "admin.token", "$(openssl rand -hex 24) (at least 16 characters)"),
      EnvBinding.secret("METRICS_TOKEN", "http.metricsToken", "$(openssl rand -hex 24) (at least 16 characters)"),
      EnvBinding.plain("BOT_DEFINITION", "bot.definition", "com.example.shop.ShopBot"),
      EnvBinding.plain("SANDBOX", "sandbox.enabled", "true"),
      EnvBinding.plain("SANDBOX_ALLOW_LIVE_CREDENTIALS", "sandbox.allowLiveCredentials", "false"),
      EnvBinding.plain("CLUSTER", "cluster.enabled", "false"),
      EnvBinding.plain("CLUSTER_NAME", "cluster.name", "acme-bot"),
      EnvBinding.plain("CLUSTER_MEMBERS", "cluster.members", "10.0.0.5,10.0.0.6:5702"),
      EnvBinding.plain("CLUSTER_HOST", "cluster.host", "10.0.0.5"),
      EnvBinding.plain("CLUSTER_PORT", "cluster.port", "5701"),
      EnvBinding.plain("CLUSTER_EVENTBUS_PORT", "cluster.eventBusPort", "5801"),
      EnvBinding.plain("CLUSTER_CONFIG", "cluster.config", "conf/cluster-kubernetes.xml"),
      EnvBinding.plain("HTTP_INSTANCES", "http.instances", "2"),
      EnvBinding.plain("SENDER_INSTANCES", "sender.instances", "2"),
      EnvBinding.plain("SHUTDOWN_TIMEOUT", "shutdown.timeout", "10s"),
      EnvBinding.plain("EVENT_LOOPS", "vertx.eventLoops", "4"),
      EnvBinding.plain("CONVERSATION_WORKERS", "conversation.workerInstances", "2"),
      EnvBinding.plain("CATALOG_PATH", "conversation.catalogPath", "/etc/whatsapp-chatbot/catalog.json"),
      EnvBinding.plain("BUSINESS_NAME", "conversation.businessName", "Acme Electronics"),
      EnvBinding.plain("DEFAULT_LOCALE", "conversation.defaultLocale", "en"),
      EnvBinding.plain("WINDOW_TEMPLATE_NAME", "conversation.windowTemplate.name", "conversation_update"),
      EnvBinding.plain("HANDOFF_TIMEOUT", "conversation.escalation.handoffTimeout", "24h"),
      EnvBinding.plain("ESCALATION_WEBHOOK_URL", "conversation.escalation.webhookUrl", "https://crm.example.com/hooks/whatsapp-handoff"),
      EnvBinding.secret("ESCALATION_WEBHOOK_SECRET", "conversation.escalation.webhookSecret", "$(openssl rand -hex 24)"),
      EnvBinding.plain("AGENT_WHATSAPP_NUMBER", "conversation.escalation.agentNumber", "5215512345678"),
      EnvBinding.plain("MEDIA_STORE", "media.store", "s3"),
      EnvBinding.plain("MEDIA_DIR", "media.dir", "/var/lib/whatsapp-chatbot/media"),
      EnvBinding.plain("MEDIA_RETENTION", "media.retention", "30d"),
      EnvBinding.plain("MEDIA_MAX_BYTES", "media.maxBytes", "50MiB"),
      EnvBinding.secret("MEDIA_SIGNING_KEY", "media.signingKey", "$(openssl rand -hex 32) (at least 32 characters)"),
      EnvBinding.plain("MEDIA_URL_LIFETIME", "media.urlLifetime", "24h"),
      EnvBinding.plain("MEDIA_PUBLIC_URL", "media.publicBaseUrl", "https://bot.example.com"),
      EnvBinding.plain("MEDIA_S3_BUCKET", "media.s3.bucket", "acme-bot-media"),
      EnvBinding.plain("MEDIA_S3_REGION", "media.s3.region", "eu-west-1"),
      EnvBinding.plain("MEDIA_S3_ENDPOINT", "media.s3.endpoint", "https://minio.internal.example.com"),
      EnvBinding.plain("MEDIA_S3_PATH_STYLE", "media.s3.pathStyle", "true"),
      EnvBinding.plain("MEDIA_S3_PREFIX", "media.s3.prefix", "media/"),
      EnvBinding.secret("MEDIA_S3_ACCESS_KEY_ID", "media.s3.accessKeyId", "AKIA... (an access key allowed to read, write, list and delete in the bucket)"),
      EnvBinding.secret("MEDIA_S3_SECRET_ACCESS_KEY", "media.s3.secretAccessKey", "wJalrXUtnFEMI... (the secret of that access key)"));

  private static final Map<String, EnvBinding> BY_PATH = ALL.stream()
      .collect(Collectors.toMap(EnvBinding::path, Function.identity(), (a, b) -> a, LinkedHashMap::new));

  private EnvBindings() {
  }

  public static Optional<EnvBinding> forPath(String path) {
    return Optional.ofNullable(BY_PATH.get(path));
  }
}
