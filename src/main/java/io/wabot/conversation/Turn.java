package io.wabot.conversation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wabot.conversation.consent.ConsentStatus;
import io.wabot.conversation.consent.MessagePurpose;
import io.wabot.conversation.i18n.TextFold;
import io.wabot.conversation.i18n.Texts;
import io.wabot.customer.CustomerIdentity;
import io.wabot.flows.FlowCompletion;
import io.wabot.media.ReceivedMedia;
import io.wabot.queue.Commit;
import io.wabot.whatsapp.catalog.CatalogRegistry;
import io.wabot.whatsapp.inbound.InboundMessage;
import io.wabot.whatsapp.outbound.ButtonsMessage;
import io.wabot.whatsapp.outbound.FlowMessage;
import io.wabot.whatsapp.outbound.ListMessage;
import io.wabot.whatsapp.outbound.OutboundMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One customer message being answered: what they sent and where the conversation stood (read), and
 * the replies, the next step and any hand-off request (written). Nothing here touches Redis or the
 * network; the engine turns the result into one atomic commit.
 */
public final class Turn {

  /** Whether the customer's message is marked read, and with a typing indicator while replies are coming. */
  enum Receipt { READ_AND_TYPING, READ, NONE }

  /** A message to send and why. */
  public record Reply(OutboundMessage message, MessagePurpose purpose) {
  }

  private final InboundMessage message;
  private final CustomerIdentity customer;
  private final Instant now;
  private final boolean newConversation;
  private ConversationState state;
  private Texts texts;
  private final Ui ui;
  private final String choice;
  private String flowName;
  private final WhatsAppFlows whatsappFlows;
  private FlowCompletion completion;

  private final List<Reply> replies = new ArrayList<>();
  private Escalation escalation;
  private boolean misunderstood;
  private boolean cannotFollow;
  private Receipt receipt = Receipt.READ_AND_TYPING;
  private Commit effects = Commit.none();
  private ConsentStatus consent = ConsentStatus.SUBSCRIBED;
  private String chosenLocale;
  private ReceivedMedia media;

  Turn(InboundMessage message, CustomerIdentity customer, ConversationState state, Texts texts, Instant now,
      boolean newConversation, WhatsAppFlows whatsappFlows, String catalogId, CatalogRegistry products) {
    this.message = message;
    this.whatsappFlows = whatsappFlows;
    this.customer = customer;
    this.state = state;
    this.texts = texts;
    this.now = now;
    this.newConversation = newConversation;
    this.ui = new Ui(customer.address(), catalogId, products);
    this.choice = resolveChoice(message, state);
  }

  // ---- what came in --------------------------------------------------------------------------

  public InboundMessage message() {
    return message;
  }

  /**
   * Who the bot is talking to: {@code customer().key()} is the stable conversation key to keep anything
   * about them under; the phone number may be missing (hidden behind a username) and the BSUID changes
   * when they change number. Replies built with {@link #ui()} go to {@link CustomerIdentity#address()}.
   */
  public CustomerIdentity customer() {
    return customer;
  }

  public Instant now() {
    return now;
  }

  /** Whether there was no state for this customer: a first message, or state that expired or was lost. */
  public boolean newConversation() {
    return newConversation;
  }

  public ConversationState state() {
    return state;
  }

  public Texts texts() {
    return texts;
  }

  public Ui ui() {
    return ui;
  }

  /**
   * The photo, voice note, video, document or sticker of a media message: stored in the media store, or
   * failed to download (the flow decides what to tell the customer). Empty for other messages.
   */
  public Optional<ReceivedMedia> media() {
    return Optional.ofNullable(media);
  }

  /** The text typed (a text message, or a template quick reply's label), or null. */
  public String text() {
    return typed(message);
  }

  /** The text a message carries as typed (see {@link #text()}), or null. */
  static String typed(InboundMessage message) {
    if (message instanceof InboundMessage.Text t) {
      return t.body();
    }
    if (message instanceof InboundMessage.QuickReply q && !q.payload().contains(":")) {
      return q.text();
    }
    return null;
  }

  /**
   * The id of the choice the customer made: a button or list row tapped, a quick reply with one of our
   * ids as payload, or the number or title of an option of the last list typed as text. Null otherwise.
   */
  public String choice() {
    return choice;
  }

  /** The id a message carries as tapped: a button or list row, or a quick reply with one of our ids as payload; or null. */
  static String tapped(InboundMessage message) {
    if (message instanceof InboundMessage.ButtonReply b) {
      return b.buttonId();
    }
    if (message instanceof InboundMessage.ListReply l) {
      return l.rowId();
    }
    if (message instanceof InboundMessage.QuickReply q && q.payload().contains(":")) {
      return q.payload();
    }
    return null;
  }

  private static String resolveChoice(InboundMessage message, ConversationState state) {
    String tapped = tapped(message);
    if (tapped != null) {
      return tapped;
    }
    if (message instanceof InboundMessage.Text t && !state.options().isEmpty()) {
      String folded = TextFold.fold(t.body());
      if (folded.matches("\\d{1,2}")) {
        int index = Integer.parseInt(folded) - 1;
        return index >= 0 && index < state.options().size() ? state.options().get(index).id() : null;
      }
      for (Choice option : state.options()) {
        if (!folded.isEmpty() && TextFold.fold(option.title()).equals(folded)) {
          return option.id();
        }
      }
    }
    return null;
  }

  /**
   * The WhatsApp Flow the customer just completed, with the token it was sent with (its flow, its
   * context) and their answers; null for any other message. Only a completion whose token this bot
   * issued to this conversation, unexpired and unused, gets here: the engine refuses the rest.
   */
  public FlowCompletion completedFlow() {
    return completion;
  }

  /** The part of the choice id after {@code prefix}, e.g. {@code "sales:item:"} → the SKU; null when it does not match. */
  public String chosen(String prefix) {
    return choice != null && choice.startsWith(prefix) ? choice.substring(prefix.length()) : null;
  }

  // ---- what goes out -------------------------------------------------------------------------

  /** Sends a message; a list or buttons become the options the customer can pick by number or title, anything else clears them. */
  public Turn send(OutboundMessage reply) {
    return send(reply, MessagePurpose.REPLY);
  }

  public Turn send(OutboundMessage reply, MessagePurpose purpose) {
    replies.add(new Reply(reply, purpose));
    // The options a customer can pick by number or title are those of the latest message sent.
    List<Choice> offered = offered(reply);
    state = state.withOptions(offered == null ? List.of() : offered);
    return this;
  }

  private static List<Choice> offered(OutboundMessage reply) {
    if (reply instanceof ButtonsMessage b) {
      return b.buttons().stream().map(x -> Choice.of(x.id(), x.title())).toList();
    }
    if (reply instanceof ListMessage l) {
      return l.sections().stream().flatMap(s -> s.rows().stream()).map(r -> Choice.of(r.id(), r.title())).toList();
    }
    return null;
  }

  /**
   * Whether a WhatsApp Flow that uses the data-exchange endpoint can be sent: false when the bot runs
   * without a Flows key, so a flow offers its plain alternative (e.g. a hand-off) instead.
   */
  public boolean canSendFlows() {
    return whatsappFlows.canSend();
  }

  /**
   * Sends the WhatsApp Flow {@code whatsappFlow} (its name in {@code conf/flows}): issues a flow token
   * bound to this conversation, this flow and {@code context} (small, non-personal facts its endpoint
   * handler needs, e.g. the SKU), and sends {@code message} built around it, typically
   * {@code token -> turn.ui().flow(body, cta, "reserve_item", token)}. The completion comes back to
   * the flow answering now, as a turn whose {@link #completedFlow()} is set.
   *
   * <p>The token is stored at once, not with the turn's commit: if the turn runs again after a crash
   * another token is issued, and the first one, never sent, simply expires.
   */
  public Future<Void> sendFlow(String whatsappFlow, JsonObject context, Function<String, FlowMessage> message) {
    JsonObject bound = context.copy().put(WhatsAppFlows.OWNER, flowName);
    return whatsappFlows.issue(customer.key(), whatsappFlow, bound).map(token -> {
      send(message.apply(token.value()));
      return null;
    });
  }

  /** Sends the text of {@code key}. */
  public Turn say(String key) {
    return send(ui.text(texts.get(key)));
  }

  public Turn say(String key, Map<String, ?> params) {
    return send(ui.text(texts.get(key, params)));
  }

  /** Moves the conversation to a step of the flow now answering. */
  public Turn goTo(String step) {
    state = state.at(flowName, step);
    return this;
  }

  public Turn remember(String key, String value) {
    Map<String, String> context = new HashMap<>(state.context());
    if (value == null) {
      context.remove(key);
    } else {
      context.put(key, value);
    }
    state = state.withContext(context);
    return this;
  }

  public Turn forget(String... keys) {
    Map<String, String> context = new HashMap<>(state.context());
    for (String key : keys) {
      context.remove(key);
    }
    state = state.withContext(context);
    return this;
  }

  /** Hands the customer to a person: the engine acknowledges, notifies the team and goes quiet. */
  public Turn escalate(Escalation request) {
    this.escalation = request;
    return this;
  }

  /** The message made no sense here: the engine apologises, and offers a person after repeated misses. */
  public Turn misunderstood() {
    this.misunderstood = true;
    return this;
  }

  /**
   * The message refers to something the bot no longer has: an option from a conversation whose state
   * was lost, or an item that left the catalog. The engine apologises and shows the menu.
   */
  public Turn cannotFollow() {
    this.cannotFollow = true;
    return this;
  }

  // ---- for the engine ------------------------------------------------------------------------

  void completed(FlowCompletion accepted) {
    this.completion = accepted;
  }

  WhatsAppFlows whatsappFlows() {
    return whatsappFlows;
  }

  void runningFlow(String name) {
    this.flowName = name;
  }

  void replaceState(ConversationState newState) {
    this.state = newState;
  }

  void switchTexts(Texts newTexts) {
    this.texts = newTexts;
  }

  List<Reply> replies() {
    return replies;
  }

  Escalation escalation() {
    return escalation;
  }

  boolean wasMisunderstood() {
    return misunderstood;
  }

  boolean couldNotFollow() {
    return cannotFollow;
  }

  void clearOutcome() {
    misunderstood = false;
    cannotFollow = false;
  }

  void prepend(OutboundMessage reply) {
    replies.add(0, new Reply(reply, MessagePurpose.REPLY));
  }

  void dropReplies() {
    replies.clear();
  }

  void receipt(Receipt newReceipt) {
    this.receipt = newReceipt;
  }

  Receipt receipt() {
    return receipt;
  }

  void addEffects(Commit more) {
    effects = Effects.append(effects, more);
  }

  Commit effects() {
    return effects;
  }

  void consent(ConsentStatus status) {
    this.consent = status;
  }

  ConsentStatus consent() {
    return consent;
  }

  void receivedMedia(ReceivedMedia received) {
    this.media = received;
  }

  void chooseLocale(String locale) {
    this.chosenLocale = locale;
  }

  String chosenLocale() {
    return chosenLocale;
  }
}
