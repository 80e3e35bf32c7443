package io.wabot.webhook;

import io.wabot.common.SignatureVerifier;
import io.wabot.config.NumberConfig;
import io.wabot.numbers.BusinessNumbers;
import java.util.List;
import java.util.function.Supplier;

/**
 * The signature checks of the Meta apps whose numbers this deployment serves: one per distinct app secret, for
 * everything Meta signs with it ({@code X-Hub-Signature-256} on the webhook and on the Flows endpoint). Rebuilt when a
 * reload changes the numbers, so a number added, an app secret rotated or a number removed takes effect at the next
 * request.
 */
public final class AppSignatures implements Supplier<List<SignatureVerifier>> {

  private final BusinessNumbers numbers;
  private volatile Signers signers = new Signers(List.of(), List.of());

  private record Signers(List<NumberConfig> of, List<SignatureVerifier> verifiers) {
  }

  public AppSignatures(BusinessNumbers numbers) {
    this.numbers = numbers;
  }

  @Override
  public List<SignatureVerifier> get() {
    List<NumberConfig> served = numbers.all();
    Signers current = signers;
    if (current.of() != served) {
      List<String> secrets = served.stream().map(n -> n.appSecret().value()).distinct().toList();
      current = new Signers(served, secrets.stream().map(SignatureVerifier::new).toList());
      signers = current;
    }
    return current.verifiers();
  }
}
