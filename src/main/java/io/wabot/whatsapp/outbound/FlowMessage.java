package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonObject;

/**
 * An interactive flow message: a body (and optional text header and footer) with a button that opens
 * a WhatsApp Flow. The flow is named by its id or its name on the account; {@code flowToken} is what
 * Meta sends back with every request of that flow and in its completion (issue one with
 * {@code FlowTokens}). With {@link Action#NAVIGATE} the flow opens on {@code screen} filled with
 * {@code data}; with {@link Action#DATA_EXCHANGE} the endpoint picks the first screen (its INIT).
 *
 * <pre>{@code
 * FlowMessage.builder(to, "Reserve it in a few taps.", "Reserve")
 *     .flowName("reserve_item").flowToken(token.value()).dataExchange().build();
 * }</pre>
 */
public record FlowMessage(String to, String header, String body, String footer, String flowId, String flowName,
    String cta, String flowToken, Action action, String screen, JsonObject data, boolean draft) implements OutboundMessage {

  /** The button's text: at most 20 characters, no emoji (Meta's limit). */
  public static final int CTA = 20;
  /** Flow tokens the bot issues are far shorter; this keeps a stray value from bloating every request of the flow. */
  public static final int FLOW_TOKEN = 512;

  /** What opening the flow does. */
  public enum Action {
    /** Opens on a given screen with given data, without asking the endpoint. */
    NAVIGATE("navigate"),
    /** Asks the endpoint for the first screen (an INIT request). */
    DATA_EXCHANGE("data_exchange");

    private final String wireName;

    Action(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public FlowMessage {
    Limits.recipient(to);
    Limits.maxLength(header, Limits.HEADER_TEXT, "header");
    Limits.requiredMax(body, Limits.INTERACTIVE_BODY, "interactive body");
    Limits.maxLength(footer, Limits.FOOTER, "footer");
    Limits.requiredMax(cta, CTA, "flow button text (flow_cta)");
    if (cta.codePoints().anyMatch(FlowMessage::isEmoji)) {
      throw new InvalidMessageException("flow button text (flow_cta) contains an emoji; WhatsApp does not allow them there");
    }
    if ((flowId == null || flowId.isBlank()) == (flowName == null || flowName.isBlank())) {
      throw new InvalidMessageException("a flow message names its flow by id or by name: give exactly one");
    }
    if (flowId != null && !flowId.isBlank() && !flowId.matches("\\d{1,32}")) {
      throw new InvalidMessageException("flow id must be the numeric id Meta gave the flow; use flowName for its name");
    }
    Limits.maxLength(flowToken, FLOW_TOKEN, "flow token");
    if (action == null) {
      throw new InvalidMessageException("choose the flow action: navigate or data_exchange");
    }
    if (action == Action.NAVIGATE) {
      Limits.required(screen, "the first screen (flow_action_payload.screen) of a navigate flow message");
      if (data != null && data.isEmpty()) {
        throw new InvalidMessageException("flow_action_payload.data must be left out or hold at least one field");
      }
    } else if (screen != null || data != null) {
      throw new InvalidMessageException("a data_exchange flow message takes no screen or data: the endpoint's INIT answer picks them");
    }
    data = data == null ? null : data.copy();
  }

  public static Builder builder(String to, String body, String cta) {
    return new Builder(to, body, cta);
  }

  @Override
  public String type() {
    return "interactive";
  }

  @Override
  public JsonObject content() {
    JsonObject parameters = new JsonObject().put("flow_message_version", "3");
    if (flowToken != null && !flowToken.isBlank()) {
      parameters.put("flow_token", flowToken);
    }
    if (flowId != null && !flowId.isBlank()) {
      parameters.put("flow_id", flowId);
    } else {
      parameters.put("flow_name", flowName);
    }
    parameters.put("flow_cta", cta).put("flow_action", action.wireName());
    if (action == Action.NAVIGATE) {
      JsonObject payload = new JsonObject().put("screen", screen);
      if (data != null) {
        payload.put("data", data.copy());
      }
      parameters.put("flow_action_payload", payload);
    }
    if (draft) {
      parameters.put("mode", "draft");
    }
    JsonObject interactive = new JsonObject().put("type", "flow");
    if (header != null && !header.isBlank()) {
      interactive.put("header", new JsonObject().put("type", "text").put("text", header));
    }
    interactive.put("body", new JsonObject().put("text", body));
    if (footer != null && !footer.isBlank()) {
      interactive.put("footer", new JsonObject().put("text", footer));
    }
    return interactive.put("action", new JsonObject().put("name", "flow").put("parameters", parameters));
  }

  /** Pictographs and the emoji blocks: Meta refuses them in the button text. */
  private static boolean isEmoji(int codePoint) {
    return Character.getType(codePoint) == Character.OTHER_SYMBOL && codePoint >= 0x2190
        || codePoint >= 0x1F000 && codePoint <= 0x1FAFF || codePoint == 0xFE0F;
  }

  /** Builds a {@link FlowMessage}; the limits are checked by {@link #build()}. */
  public static final class Builder {
    private final String to;
    private final String body;
    private final String cta;
    private String header;
    private String footer;
    private String flowId;
    private String flowName;
    private String flowToken;
    private Action action;
    private String screen;
    private JsonObject data;
    private boolean draft;

    private Builder(String to, String body, String cta) {
      this.to = to;
      this.body = body;
      this.cta = cta;
    }

    public Builder header(String text) {
      this.header = text;
      return this;
    }

    public Builder footer(String text) {
      this.footer = text;
      return this;
    }

    public Builder flowId(String id) {
      this.flowId = id;
      return this;
    }

    public Builder flowName(String name) {
      this.flowName = name;
      return this;
    }

    public Builder flowToken(String token) {
      this.flowToken = token;
      return this;
    }

    /** Opens on {@code firstScreen} with {@code screenData} (null for none), without calling the endpoint. */
    public Builder navigate(String firstScreen, JsonObject screenData) {
      this.action = Action.NAVIGATE;
      this.screen = firstScreen;
      this.data = screenData;
      return this;
    }

    /** Opens with an INIT request to the endpoint, which picks the first screen. */
    public Builder dataExchange() {
      this.action = Action.DATA_EXCHANGE;
      this.screen = null;
      this.data = null;
      return this;
    }

    /** Sends the flow's draft (testers only), not its published version. */
    public Builder draft() {
      this.draft = true;
      return this;
    }

    public FlowMessage build() {
      return new FlowMessage(to, header, body, footer, flowId, flowName, cta, flowToken, action, screen, data, draft);
    }
  }
}
