package io.wabot.conversation;

import io.vertx.core.json.JsonObject;
import io.wabot.config.NumberConfig;

/**
 * The business number a conversation engine answers for, as its parts need it: the id its jobs and replies
 * carry, the label its metrics and the team's messages show.
 *
 * @param id          the {@code phone_number_id}, or null when the engine was built without one (tests of one
 *                    number): its jobs then carry none and go out from the default number
 * @param label       the bounded label of metrics and logs ({@link NumberConfig#label()})
 * @param name        the operator's name for it, or null
 * @param oneOfSeveral whether the deployment serves several numbers: then the team's WhatsApp messages say which
 */
public record ServedNumber(String id, String label, String name, boolean oneOfSeveral) {

  /** No number named: the single number of a deployment (or test) that does not tell numbers apart. */
  public static final ServedNumber UNNAMED = new ServedNumber(null, "default", null, false);

  public static ServedNumber of(NumberConfig number, boolean oneOfSeveral) {
    return new ServedNumber(number.phoneNumberId(), number.label(), number.name(), oneOfSeveral);
  }

  /** What the team's events say about it: {@code {"id", "label", "name"}}; null for {@link #UNNAMED}. */
  public JsonObject toJson() {
    return id == null ? null : new JsonObject().put("id", id).put("label", label).put("name", name);
  }
}
