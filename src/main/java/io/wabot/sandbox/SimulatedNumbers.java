package io.wabot.sandbox;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The business phone numbers a {@link GraphApiSimulator} serves and the token each one accepts, as Meta
 * knows them: a request on {@code /{phone-number-id}/...} needs that number's token, account-level
 * endpoints (templates, catalog, media downloads) take the token of any number served. Read per request,
 * so the sandbox's simulator follows a configuration reload.
 */
final class SimulatedNumbers {

  private final Supplier<Map<String, String>> tokens;

  /** @param tokens phone number id → its access token; asked on every request */
  SimulatedNumbers(Supplier<Map<String, String>> tokens) {
    this.tokens = tokens;
  }

  static SimulatedNumbers one(String phoneNumberId, String accessToken) {
    Map<String, String> only = Map.of(phoneNumberId, accessToken);
    return new SimulatedNumbers(() -> only);
  }

  /** Whether the number is served at all. */
  boolean serves(String phoneNumberId) {
    return phoneNumberId != null && tokens.get().containsKey(phoneNumberId);
  }

  /** Whether the request carries this number's own token. */
  boolean tokenOf(String phoneNumberId, RoutingContext ctx) {
    String token = phoneNumberId == null ? null : tokens.get().get(phoneNumberId);
    return token != null && ("Bearer " + token).equals(ctx.request().getHeader("Authorization"));
  }

  /** Whether the request carries the token of some number served (account-level endpoints). */
  boolean anyToken(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    return header != null && tokens.get().values().stream().anyMatch(token -> header.equals("Bearer " + token));
  }
}
