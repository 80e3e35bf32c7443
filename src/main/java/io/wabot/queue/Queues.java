package io.wabot.queue;

/** The queues of the service and the event-bus addresses that signal new work in them. */
public final class Queues {

  /** Customer messages waiting for the conversation engine. */
  public static final String INBOUND = "inbound";
  /** Messages waiting to be sent to the Graph API. */
  public static final String OUTBOUND = "outbound";
  /** Hand-off events waiting to be delivered to the sales team's webhook. */
  public static final String NOTIFY = "notify";
  /** Customers' media waiting to be downloaded into the media store. */
  public static final String MEDIA = "media";

  private Queues() {
  }

  /** Event-bus address on which "work arrived in this queue" is published: a signal, never the data. */
  public static String workAddress(String queue) {
    return "wabot.queue." + queue + ".work";
  }
}
