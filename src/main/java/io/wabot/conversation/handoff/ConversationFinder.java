package io.wabot.conversation.handoff;

import io.vertx.core.Future;
import io.wabot.config.NumberConfig;
import io.wabot.customer.CustomerDirectory;
import io.wabot.customer.CustomerIdentity;
import io.wabot.numbers.BusinessNumbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the conversation an operator names in {@code /admin/conversations/{customer}/...}: the customer and the
 * business number they talk to. A conversation key belongs to one number; a phone number or BSUID may be known on
 * several, and then the request says which with {@code ?number=} (the number's name or {@code phone_number_id}).
 */
public final class ConversationFinder {

  /** A customer on one number. */
  public record Found(NumberConfig number, CustomerIdentity customer) {
  }

  /** Why no single conversation was found: the HTTP status and the caller's one line. */
  public record NotFound(int status, String error) {
  }

  private final BusinessNumbers numbers;
  private final Function<NumberConfig, CustomerDirectory> directories;

  /** @param directories the customer directory of a number (legacy phone keys only for the default number's) */
  public ConversationFinder(BusinessNumbers numbers, Function<NumberConfig, CustomerDirectory> directories) {
    this.numbers = numbers;
    this.directories = directories;
  }

  /**
   * @param id     any of the customer's ids: conversation key, phone number, BSUID
   * @param number the {@code number} query parameter (a name, label or {@code phone_number_id}), or null for any
   * @return the conversation, or why there is not exactly one
   */
  public Future<Found> find(String id, String number, Function<NotFound, Found> orElse) {
    List<NumberConfig> candidates = numbers.all().stream().filter(n -> number == null || BusinessNumbers.names(n, number)).toList();
    if (candidates.isEmpty()) {
      return Future.succeededFuture(orElse.apply(new NotFound(404, "no business number \"" + number + "\" is served")));
    }
    List<Future<Optional<CustomerIdentity>>> lookups = candidates.stream().map(n -> directories.apply(n).find(id)).toList();
    return Future.all(lookups).map(all -> {
      List<Found> found = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        Optional<CustomerIdentity> customer = all.resultAt(i);
        if (customer.isPresent()) {
          found.add(new Found(candidates.get(i), customer.get()));
        }
      }
      if (found.isEmpty()) {
        return orElse.apply(new NotFound(404, "no customer with that conversation key, phone number or BSUID"));
      }
      if (found.size() > 1) {
        List<String> labels = found.stream().map(f -> f.number().label()).toList();
        return orElse.apply(new NotFound(409, "this customer writes to several business numbers (" + String.join(", ", labels)
            + "); say which with ?number=" + labels.get(0) + ", or use the conversation key of the hand-off event"));
      }
      return found.get(0);
    });
  }

}
