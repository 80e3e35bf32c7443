package io.wabot.webhook;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.wabot.common.SignatureVerifier;
import io.wabot.http.IngressGuard;
import io.wabot.http.IngressLimits;
import io.wabot.observability.Rejections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads a signed body ({@code POST /webhook}, {@code POST /flows}) as it streams in, without trusting any of it:
 *
 * <ol>
 *   <li>a request whose {@code X-Hub-Signature-256} cannot be a signature, or whose declared length is
 *       over the endpoint's limit, is refused before a byte of its body is read;</li>
 *   <li>room for the body is reserved in the process-wide {@link IngressLimits budget} first; when there
 *       is none, 503 with {@code Retry-After} (Meta delivers again later) instead of buffering;</li>
 *   <li>the HMAC-SHA256 is computed chunk by chunk as the body arrives, so a wrong signature is refused
 *       the moment the body ends, and a body that grows past what it declared is cut off at once.</li>
 * </ol>
 *
 * Only an authenticated body reaches the handler. The reservation is given back when the response ends
 * or the connection closes. Every refusal is counted in {@link Rejections}.
 */
public final class SignedBodyReader {

  static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

  private final String endpoint;
  private final long bodyLimit;
  private final String limitSetting;
  private final IngressLimits limits;
  private final Supplier<List<SignatureVerifier>> signers;
  private final Rejections rejections;

  /** An authenticated body and the key that signed it (for the webhook: which Meta app sent it). */
  public interface Verified {
    void handle(Buffer body, SignatureVerifier signer);
  }

  /**
   * @param endpoint     the endpoint's name in {@code wabot_http_rejected_total{endpoint}} ({@code webhook}, {@code flows})
   * @param bodyLimit    the largest body taken, in bytes
   * @param limitSetting the setting that holds {@code bodyLimit}, named in refusals
   */
  public SignedBodyReader(String endpoint, long bodyLimit, String limitSetting, IngressLimits limits,
      SignatureVerifier signatures, Rejections rejections) {
    this(endpoint, bodyLimit, limitSetting, limits, () -> List.of(signatures), rejections);
  }

  /**
   * A reader that accepts a body signed with any of several keys (one per Meta app whose numbers are
   * served), asked for at each request so that a configuration reload takes effect at the next one.
   */
  public SignedBodyReader(String endpoint, long bodyLimit, String limitSetting, IngressLimits limits,
      Supplier<List<SignatureVerifier>> signers, Rejections rejections) {
    this.endpoint = endpoint;
    this.bodyLimit = bodyLimit;
    this.limitSetting = limitSetting;
    this.limits = limits;
    this.signers = signers;
    this.rejections = rejections;
  }

  /** Reads the body and hands it to {@code verified} when its signature is right; answers every refusal itself. */
  public void read(RoutingContext ctx, Handler<Buffer> verified) {
    readSigned(ctx, (body, signer) -> verified.handle(body));
  }

  /** As {@link #read}, also telling which key signed the body. */
  public void readSigned(RoutingContext ctx, Verified verified) {
    HttpServerRequest request = ctx.request();
    String signature = request.getHeader(SIGNATURE_HEADER);
    if (!SignatureVerifier.wellFormed(signature)) {
      refuseUnread(ctx, 401, "signature", "X-Hub-Signature-256 missing or malformed", "invalid signature");
      return;
    }
    long declared = declaredLength(request);
    if (declared == MALFORMED) {
      refuseUnread(ctx, 400, "bad_length", "Content-Length is not a number", "invalid Content-Length");
      return;
    }
    if (declared > bodyLimit) {
      refuseUnread(ctx, 413, "too_large", "body over " + limitSetting, "body too large");
      return;
    }
    long size = declared >= 0 ? declared : bodyLimit;
    IngressLimits.Reservation reservation = limits.reserveBody(size);
    if (reservation == null) {
      rejections.rejected(endpoint, "budget", "signed bodies in progress fill http.webhookBodyBudget; answered 503");
      IngressGuard.closeAfter(ctx, ctx.response().setStatusCode(503).putHeader("Retry-After", "5"),
          "temporarily unable to take the request");
      return;
    }
    ctx.addEndHandler(ended -> reservation.release());
    stream(ctx, request, signature, size, verified);
  }

  private void stream(RoutingContext ctx, HttpServerRequest request, String signature, long size, Verified verified) {
    List<SignatureVerifier> keys = signers.get();
    List<SignatureVerifier.Incremental> macs = keys.stream().map(SignatureVerifier::incremental).toList();
    Buffer body = Buffer.buffer((int) Math.min(size, 64 * 1024));
    boolean[] cutOff = {false};
    request.handler(chunk -> {
      if (cutOff[0]) {
        return;
      }
      if (body.length() + chunk.length() > size) {
        cutOff[0] = true;
        refuseUnread(ctx, 413, "too_large", "body longer than declared or over " + limitSetting, "body too large");
        return;
      }
      byte[] bytes = chunk.getBytes();
      macs.forEach(mac -> mac.update(bytes));
      body.appendBuffer(chunk);
    });
    request.endHandler(ended -> {
      if (cutOff[0]) {
        return;
      }
      // Every key is tried (each MAC is final once compared): which one matched says which app sent the body.
      SignatureVerifier signer = null;
      for (int i = 0; i < macs.size(); i++) {
        if (macs.get(i).matches(signature) && signer == null) {
          signer = keys.get(i);
        }
      }
      if (signer == null) {
        rejections.rejected(endpoint, "signature", "X-Hub-Signature-256 does not match the body; answered 401");
        WebhookRoutes.reply(ctx, 401, "invalid signature");
        return;
      }
      verified.handle(body, signer);
    });
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      ctx.response().writeContinue(); // admitted: now the client may send the body
    }
    request.resume();
  }

  /** Refuses without reading (the rest of) the body, and closes the connection it would still arrive on. */
  private void refuseUnread(RoutingContext ctx, int status, String reason, String detail, String error) {
    rejections.rejected(endpoint, reason, detail + "; answered " + status);
    IngressGuard.closeAfter(ctx, ctx.response().setStatusCode(status), error);
  }

  private static final long NONE = -1;
  private static final long MALFORMED = -2;

  private static long declaredLength(HttpServerRequest request) {
    String header = request.getHeader("Content-Length");
    if (header == null) {
      return NONE;
    }
    try {
      long length = Long.parseLong(header.trim());
      return length < 0 ? MALFORMED : length;
    } catch (NumberFormatException e) {
      return MALFORMED;
    }
  }
}
