package io.wabot.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Graph API's media endpoints, as the {@link GraphApiSimulator} serves them:
 * <ul>
 *   <li>{@code GET /{version}/{media-id}}: the metadata (a download URL valid 5 minutes, MIME type,
 *       SHA-256, size); Meta's 400 (code 100, subcode 33) for an unknown or expired id;</li>
 *   <li>{@code GET /whatsapp_business/attachments/?mid=&ext=&hash=}: the download, with the bearer token
 *       (401, code 190 without it), 404 once the URL expired;</li>
 *   <li>{@code POST /{version}/{phone-number-id}/media}: a multipart upload ({@code messaging_product},
 *       {@code type}, {@code file}) answered with a fresh id, refused with Meta's code 131053 when the
 *       type is not supported or the file is larger than its kind allows.</li>
 * </ul>
 * Files live on disk in a temporary folder, never in the heap, whatever their size. Tests add media with
 * {@link #add} and can make each one misbehave ({@link SimulatedMedia}: a lying size, hash or MIME
 * type, an HTML error page, a 404, a redirect).
 */
public final class SimulatedMediaLibrary {

  /** How long Meta's download URLs stay valid. */
  static final Duration URL_LIFETIME = Duration.ofMinutes(5);
  /** How long Meta keeps uploaded media. */
  static final Duration UPLOAD_LIFETIME = Duration.ofDays(30);
  private static final long MIB = 1024L * 1024;
  private static final Map<String, Long> UPLOAD_LIMITS = Map.ofEntries(
      Map.entry("image/jpeg", 5 * MIB), Map.entry("image/png", 5 * MIB), Map.entry("image/webp", 500 * 1024L),
      Map.entry("audio/aac", 16 * MIB), Map.entry("audio/amr", 16 * MIB), Map.entry("audio/mpeg", 16 * MIB),
      Map.entry("audio/mp4", 16 * MIB), Map.entry("audio/ogg", 16 * MIB),
      Map.entry("video/mp4", 16 * MIB), Map.entry("video/3gpp", 16 * MIB),
      Map.entry("text/plain", 100 * MIB), Map.entry("application/pdf", 100 * MIB),
      Map.entry("application/msword", 100 * MIB), Map.entry("application/vnd.ms-excel", 100 * MIB),
      Map.entry("application/vnd.ms-powerpoint", 100 * MIB),
      Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", 100 * MIB),
      Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 100 * MIB),
      Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation", 100 * MIB));

  /**
   * One request to a media endpoint, for tests: which, whether the token was right, the answer, and whether
   * the client asked for its connection to be closed after the answer ({@code Connection: close}).
   */
  public record MediaRequest(String method, String path, boolean authorized, int status, boolean askedToClose) {
  }

  private record Entry(String id, SimulatedMedia media, long size, String sha256, Instant expiresAt) {
  }

  private final Vertx vertx;
  private final SimulatedNumbers numbers;
  private final Path dir;
  private final byte[] urlKey = new byte[32];
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final List<MediaRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L * 1000);

  SimulatedMediaLibrary(Vertx vertx, SimulatedNumbers numbers) {
    this.vertx = vertx;
    this.numbers = numbers;
    new java.security.SecureRandom().nextBytes(urlKey);
    try {
      this.dir = Files.createTempDirectory("graph-simulator-media-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds the routes; the download route goes first, as {@code /{version}/{media-id}} would match it too. */
  void mount(Router router) {
    router.get("/whatsapp_business/attachments").handler(this::download);
    router.get("/whatsapp_business/attachments/").handler(this::download);
    router.post("/:version/:phoneNumberId/media")
        .handler(BodyHandler.create(dir.resolve("uploads").toString()).setBodyLimit(101 * MIB)
            .setDeleteUploadedFilesOnEnd(false))
        .handler(this::upload);
    router.get("/:version/:mediaId").handler(this::metadata);
  }

  // ---- for tests and the sandbox -------------------------------------------------------------

  /** Makes a file available as Meta would a customer's media; returns its media id. */
  public String add(SimulatedMedia media) {
    String id = Long.toString(ids.incrementAndGet());
    Path file = media.file() != null ? media.file() : write(id, media.content());
    entries.put(id, new Entry(id, media.withFile(file), sizeOf(file), sha256(file), Instant.now().plus(media.lifetime())));
    return id;
  }

  /** The file behind a media id (uploaded or added), for checking what arrived. */
  public Path file(String mediaId) {
    Entry entry = entries.get(mediaId);
    return entry == null ? null : entry.media().file();
  }

  /** The MIME type an upload declared, or an added file's. */
  public String mimeType(String mediaId) {
    Entry entry = entries.get(mediaId);
    return entry == null ? null : entry.media().mimeType();
  }

  public List<MediaRequest> requests() {
    return List.copyOf(requests);
  }

  Future<Void> close() {
    return vertx.executeBlocking(() -> {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      return null;
    });
  }

  // ---- GET /{version}/{media-id} -----------------------------------------------------------

  private void metadata(RoutingContext ctx) {
    if (!authorized(ctx)) {
      return;
    }
    String mediaId = ctx.pathParam("mediaId");
    String forNumber = ctx.request().getParam("phone_number_id");
    Entry entry = entries.get(mediaId);
    if (entry == null || entry.expiresAt().isBefore(Instant.now()) || forNumber != null && !numbers.serves(forNumber)) {
      answer(ctx, 400, GraphApiSimulator.error(100, 33, "GraphMethodException", "Unsupported get request. Object with ID '"
          + mediaId + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation."
          + " Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api", null));
      return;
    }
    SimulatedMedia media = entry.media();
    long expires = Instant.now().plus(URL_LIFETIME).getEpochSecond();
    String base = ctx.request().scheme() + "://" + ctx.request().authority() + mountPoint(ctx);
    String url = base + "/whatsapp_business/attachments/?mid=" + mediaId + "&ext=" + expires + "&hash=" + urlHash(mediaId, expires);
    answer(ctx, 200, new JsonObject()
        .put("messaging_product", "whatsapp")
        .put("url", url)
        .put("mime_type", media.declaredMimeType() != null ? media.declaredMimeType() : media.mimeType())
        .put("sha256", media.declaredSha256() != null ? media.declaredSha256() : entry.sha256())
        .put("file_size", Long.toString(media.declaredSize() >= 0 ? media.declaredSize() : entry.size()))
        .put("id", mediaId));
  }

  // ---- GET /whatsapp_business/attachments/ ---------------------------------------------------

  private void download(RoutingContext ctx) {
    if (!authorized(ctx)) {
      return;
    }
    String mediaId = ctx.request().getParam("mid");
    String ext = ctx.request().getParam("ext");
    Entry entry = mediaId == null ? null : entries.get(mediaId);
    long expires = parseLong(ext);
    if (entry == null || expires < Instant.now().getEpochSecond() || !urlHash(mediaId, expires).equals(ctx.request().getParam("hash"))) {
      record(ctx, 404);
      ctx.response().setStatusCode(404).putHeader("content-type", "text/plain").end("Not Found");
      return;
    }
    SimulatedMedia media = entry.media();
    HttpServerResponse response = ctx.response();
    switch (media.download()) {
      case NOT_FOUND -> {
        record(ctx, 404);
        response.setStatusCode(404).putHeader("content-type", "text/plain").end("Not Found");
      }
      case HTML_PAGE -> {
        record(ctx, 200);
        response.putHeader("content-type", media.servedContentType() != null ? media.servedContentType() : "text/html")
            .end("<!DOCTYPE html>\n<html><head><title>Error</title></head><body>Sorry, something went wrong.</body></html>");
      }
      case REDIRECT -> {
        record(ctx, 302);
        response.setStatusCode(302).putHeader("Location", media.redirectTo()).end();
      }
      case FILE -> {
        record(ctx, 200);
        response.putHeader("content-type", media.servedContentType() != null ? media.servedContentType() : media.mimeType())
            .sendFile(media.file().toString());
      }
      default -> throw new IllegalStateException(media.download().name());
    }
  }

  // ---- POST /{version}/{phone-number-id}/media ---------------------------------------------------

  private void upload(RoutingContext ctx) {
    if (!authorized(ctx)) {
      deleteUploads(ctx);
      return;
    }
    String error = uploadError(ctx);
    if (error != null) {
      deleteUploads(ctx);
      answer(ctx, 400, GraphApiSimulator.error(131053, null, "OAuthException", "(#131053) Media upload error", error));
      return;
    }
    FileUpload file = ctx.fileUploads().get(0);
    String mime = ctx.request().getFormAttribute("type").trim().toLowerCase(Locale.ROOT);
    // Hashing a file of up to 100 MB is blocking work, kept off the event loop.
    vertx.executeBlocking(() -> add(SimulatedMedia.ofFile(Path.of(file.uploadedFileName()), mime).lifetime(UPLOAD_LIFETIME)))
        .onSuccess(id -> answer(ctx, 200, new JsonObject().put("id", id)))
        .onFailure(ctx::fail);
  }

  private String uploadError(RoutingContext ctx) {
    // a number of ours uploads with its own token only; another number's token is another app's, say
    if (!numbers.tokenOf(ctx.pathParam("phoneNumberId"), ctx)) {
      return "Object with ID '" + ctx.pathParam("phoneNumberId") + "' does not exist.";
    }
    if (!"whatsapp".equals(ctx.request().getFormAttribute("messaging_product"))) {
      return "The parameter messaging_product is required and must be \"whatsapp\".";
    }
    if (ctx.fileUploads().size() != 1 || !"file".equals(ctx.fileUploads().get(0).name())) {
      return "The parameter file is required.";
    }
    String type = ctx.request().getFormAttribute("type");
    Long limit = type == null ? null : UPLOAD_LIMITS.get(type.trim().toLowerCase(Locale.ROOT));
    if (limit == null) {
      return "Param type must be a supported media type, got " + type + ".";
    }
    long size = ctx.fileUploads().get(0).size();
    if (size > limit) {
      return "File size too big. Max file size allowed for " + type + " is " + limit + " bytes, got " + size + ".";
    }
    return null;
  }

  private static void deleteUploads(RoutingContext ctx) {
    for (FileUpload upload : ctx.fileUploads()) {
      ctx.vertx().fileSystem().delete(upload.uploadedFileName());
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private boolean authorized(RoutingContext ctx) {
    if (numbers.anyToken(ctx)) {
      return true;
    }
    answer(ctx, 401, GraphApiSimulator.error(190, null, "OAuthException", "Invalid OAuth access token - Cannot parse access token", null));
    return false;
  }

  private void answer(RoutingContext ctx, int status, JsonObject body) {
    record(ctx, status);
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  private void record(RoutingContext ctx, int status) {
    requests.add(new MediaRequest(ctx.request().method().name(), ctx.normalizedPath(),
        numbers.anyToken(ctx), status, "close".equalsIgnoreCase(ctx.request().getHeader("Connection"))));
  }

  private static String mountPoint(RoutingContext ctx) {
    String mount = ctx.mountPoint();
    return mount == null || mount.equals("/") ? "" : mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
  }

  private String urlHash(String mediaId, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(urlKey, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal((mediaId + ":" + expires).getBytes(StandardCharsets.UTF_8)), 0, 16);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private Path write(String id, Buffer content) {
    try {
      return Files.write(dir.resolve("media-" + id), content.getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] chunk = new byte[64 * 1024];
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        digest.update(chunk, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long parseLong(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
