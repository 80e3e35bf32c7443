package io.wabot.config;

/**
 * The whole validated configuration (the spec's BotConfiguration), built once at start-up and handed
 * to every verticle. Nothing else reads raw configuration.
 */
public record AppConfig(
    ModeConfig mode,
    HttpConfig http,
    RedisConfig redis,
    QueueConfig queue,
    WhatsAppConfig whatsapp,
    BetterStackConfig betterStack,
    AlertsConfig alerts,
    AdminConfig admin,
    ConversationConfig conversation,
    SenderConfig sender,
    ClusterConfig cluster,
    FlowsConfig flows, MediaConfig media, BotConfig bot) {

  /** Builds every section, letting the reader collect all problems rather than stopping at the first. */
  static AppConfig from(ConfigReader r) {
    ModeConfig mode = ModeConfig.from(r);
    WhatsAppConfig shared = WhatsAppConfig.from(r, mode.sandbox());
    SenderConfig sender = SenderConfig.from(r);
    FlowsConfig flows = FlowsConfig.from(r, mode.sandbox());
    // Each number's settings are the shared ones with its overrides, so the list is read once they are known.
    WhatsAppConfig whatsapp = shared.withNumbers(NumberConfig.list(r, shared, sender, flows.businessAccountId(), mode.sandbox()));
    AppConfig config = new AppConfig(
        mode,
        HttpConfig.from(r, mode.sandbox()),
        RedisConfig.from(r),
        QueueConfig.from(r),
        whatsapp,
        BetterStackConfig.from(r),
        AlertsConfig.from(r),
        AdminConfig.from(r),
        ConversationConfig.from(r),
        sender,
        ClusterConfig.from(r),
        flows,
        MediaConfig.from(r),
        BotConfig.from(r));
    config.crossCheck(r);
    return config;
  }

  private void crossCheck(ConfigReader r) {
    if (mode.sandbox() && whatsapp.phoneNumberId() != null && whatsapp.apiBaseUrl() != null
        && whatsapp.hasLiveCredentials() && !mode.sandboxAllowsLiveCredentials()) {
      r.problem("sandbox.enabled", "is true while live Meta credentials are set (WHATSAPP_ACCESS_TOKEN and a Graph API URL);"
          + " unset SANDBOX for production, or set SANDBOX_ALLOW_LIVE_CREDENTIALS=true if you really mean it", "false");
    }
    if (sender.inDoubtGrace().compareTo(queue.maxRunTime()) >= 0) {
      r.problem("sender.inDoubtGrace", "must be shorter than queue.maxRunTime (" + ConfigReader.format(queue.maxRunTime())
          + "): a send waits for it within one run of its job", "\"10s\"");
    }
  }

  public AppConfig withConversation(ConversationConfig newConversation) {
    return new AppConfig(mode, http, redis, queue, whatsapp, betterStack, alerts, admin, newConversation, sender, cluster, flows, media, bot);
  }

  public AppConfig withWhatsApp(WhatsAppConfig newWhatsApp) {
    return new AppConfig(mode, http, redis, queue, newWhatsApp, betterStack, alerts, admin, conversation, sender, cluster, flows, media, bot);
  }

  public AppConfig withHttp(HttpConfig newHttp) {
    return new AppConfig(mode, newHttp, redis, queue, whatsapp, betterStack, alerts, admin, conversation, sender, cluster, flows, media, bot);
  }

  public AppConfig withFlows(FlowsConfig newFlows) {
    return new AppConfig(mode, http, redis, queue, whatsapp, betterStack, alerts, admin, conversation, sender, cluster, newFlows, media, bot);
  }

  public AppConfig withMedia(MediaConfig newMedia) {
    return new AppConfig(mode, http, redis, queue, whatsapp, betterStack, alerts, admin, conversation, sender, cluster, flows, newMedia, bot);
  }
}
