package io.wabot.observability;

/**
 * Names of the service's own meters, shared by the code that records them and the monitors and
 * dashboards that read them. Prometheus shows them with dots as underscores (e.g.
 * {@code wabot_queue_depth}).
 */
public final class MetricNames {

  /** Gauge, tag {@code queue}: jobs stored and not finished. */
  public static final String QUEUE_DEPTH = "wabot.queue.depth";
  /** Gauge, tag {@code queue}: conversations leased by a consumer. */
  public static final String QUEUE_IN_FLIGHT = "wabot.queue.in.flight";
  /** Gauge, tag {@code queue}: conversations waiting for a retry time. */
  public static final String QUEUE_DELAYED = "wabot.queue.delayed";
  /** Gauge, tag {@code queue}: jobs in the dead-letter queue. */
  public static final String QUEUE_DEAD_LETTERS = "wabot.queue.dead.letters";
  /** Gauge, tag {@code queue}: age of the oldest job not yet claimed, in milliseconds. */
  public static final String QUEUE_LAG = "wabot.queue.lag.ms";
  /** Timer, tag {@code queue}: from enqueue to the start of processing. */
  public static final String JOB_WAIT = "wabot.job.wait";
  /** Timer, tags {@code queue}, {@code outcome}: from the start of processing to the outcome. */
  public static final String JOB_RUN = "wabot.job.run";
  /** Counter, tag {@code field}: webhook changes received, by field ({@code other} for fields the bot does not read). */
  public static final String WEBHOOK_FIELDS = "wabot.webhook.fields";
  /** Counter, tag {@code category}: messages Meta priced (each once, from the first status carrying its pricing). */
  public static final String MESSAGES_PRICED = "wabot.messages.priced";
  /** Counter, tags {@code category}, {@code billable}: the same, split by whether Meta charges for them. */
  public static final String MESSAGES_PRICED_BILLABLE = "wabot.messages.priced.billable";

  /** Counter, tag {@code queue}: jobs a producer in the same process handed straight to a consumer, without a claim. */
  public static final String JOB_HANDOFFS = "wabot.job.handoffs";
  /** Counter, tags {@code queue}, {@code outcome} (done, retry, postpone, dead_letter, lease_lost). */
  public static final String JOB_OUTCOMES = "wabot.job.outcomes";

  /** Counter, tags {@code outcome} (accepted, retry, pause, delay, fallback, dead_letter), {@code code}. */
  public static final String GRAPH_REQUESTS = "wabot.graph.requests";
  /** Timer: Graph API request latency. */
  public static final String GRAPH_LATENCY = "wabot.graph.latency";
  /** Gauge: 0 closed, 1 half-open, 2 open. */
  public static final String BREAKER_STATE = "wabot.graph.breaker.state";
  /** Gauge (clustered): sender instances on other nodes whose breaker is open, as this node last heard. */
  public static final String BREAKER_PEERS_OPEN = "wabot.graph.breaker.peers.open";

  /** Gauge (clustered): members of the cluster this node sees, itself included. */
  public static final String CLUSTER_MEMBERS = "wabot.cluster.members";

  /** Timer: from webhook receipt to the Graph API accepting the first reply. */
  public static final String END_TO_END = "wabot.reply.latency";

  /** Gauge: events waiting in the log shipping buffer. */
  public static final String LOG_BUFFER = "wabot.log.buffer.events";
  /**
   * Counter, tag {@code reason} (buffer_full, rejected, retries_exhausted, shutdown): log events dropped
   * because the buffer was full or Better Stack refused them.
   */
  public static final String LOG_DROPPED = "wabot.log.dropped";
  /** Counter: log events Better Stack accepted. */
  public static final String LOG_SHIPPED = "wabot.log.shipped";
  /** Gauge: open HTTP connections ({@code http.maxConnections} caps them). */
  public static final String HTTP_CONNECTIONS = "wabot.http.connections";
  /** Gauge: HTTP requests in progress, health checks excepted ({@code http.maxConcurrentRequests} caps them). */
  public static final String HTTP_REQUESTS_ACTIVE = "wabot.http.requests.active";
  /** Gauge: bytes of webhook bodies being read or handled ({@code http.webhookBodyBudget} caps them). */
  public static final String WEBHOOK_BODY_BYTES = "wabot.webhook.body.bytes";
  /** Counter, tags {@code kind} (message, status, preference), {@code reason}: objects of a POST that became no work. */
  public static final String WEBHOOK_SKIPPED = "wabot.webhook.skipped";
  /** Counter, tag {@code outcome} (confirmed, resent): sends in doubt and how they were settled. */
  public static final String SENDS_IN_DOUBT = "wabot.outbound.in.doubt";

  /** Gauge: the process's resident set size in bytes, from /proc/self/status. */
  public static final String PROCESS_RSS = "wabot.process.rss.bytes";

  private MetricNames() {
  }
}
