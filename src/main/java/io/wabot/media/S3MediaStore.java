package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import io.wabot.config.MediaConfig;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Media in an S3-compatible bucket (AWS S3, MinIO, Ceph, Cloudflare R2...), for several nodes: any node
 * stores, any node serves. Objects are {@code <prefix><id>}; the description travels as the object's
 * {@code Content-Type} and user metadata ({@code x-amz-meta-kind}, {@code -sha256}, {@code -filename},
 * {@code -source-id}, {@code -stored-at}).
 *
 * <p>Writes use the AWS SDK's blocking client on a small worker pool ({@code media.s3.threads}), never an
 * event loop, streaming from the staged file: files up to {@code media.s3.partSize} in one PUT, larger
 * ones as a multipart upload of parts of that size, each read from disk as it is sent. Reads are a
 * presigned GET streamed by Vert.x with back-pressure, so serving a file holds no thread and no copy.
 *
 * <p>Checksums are sent only where S3 requires them: newer SDKs add CRC trailers by default, which
 * several S3-compatible servers reject.
 */
public final class S3MediaStore implements MediaStore {

  private static final Duration PRESIGNED_URL_LIFETIME = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final S3Client s3;
  private final S3Presigner presigner;
  private final WorkerExecutor workers;
  private final HttpClient http;
  private final Staging staging;
  private final String bucket;
  private final String prefix;
  private final long partSize;

  public S3MediaStore(Vertx vertx, MediaConfig config) {
    MediaConfig.S3 settings = config.s3();
    this.vertx = vertx;
    this.bucket = settings.bucket();
    this.prefix = settings.prefix();
    this.partSize = settings.partSize();
    this.staging = new Staging(vertx, config.stagingDir());
    AwsCredentialsProvider credentials = settings.accessKeyId() == null
        ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId().value(),
            settings.secretAccessKey().value()));
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(settings.pathStyle())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(Apache5HttpClient.builder()
            .maxConnections(settings.threads())
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(config.requestTimeout()));
    S3Presigner.Builder presign = S3Presigner.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
    if (settings.endpoint() != null) {
      builder.endpointOverride(URI.create(settings.endpoint()));
      presign.endpointOverride(URI.create(settings.endpoint()));
    }
    this.s3 = builder.build();
    this.presigner = presign.build();
    this.workers = vertx.createSharedWorkerExecutor("wabot-media-s3", settings.threads());
    this.http = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) Duration.ofSeconds(5).toMillis())
        .setIdleTimeout((int) Math.max(1, config.requestTimeout().toSeconds())));
  }

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public Future<StoredMedia> putFile(Path file, MediaDraft draft) {
    return blocking(() -> {
      StoredMedia stored = StoredMedia.of(StoredMedia.newId(), draft, Instant.now());
      long size = Files.size(file);
      if (size <= partSize) {
        s3.putObject(b -> b.bucket(bucket).key(key(stored.id())).contentType(draft.mimeType()).contentLength(size)
            .metadata(metadata(stored)), RequestBody.fromFile(file));
      } else {
        uploadInParts(file, size, stored);
      }
      Files.deleteIfExists(file);
      return stored;
    });
  }

  private void uploadInParts(Path file, long size, StoredMedia stored) {
    String key = key(stored.id());
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(stored.mimeType())
        .metadata(metadata(stored))).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      for (long offset = 0; offset < size; offset += partSize) {
        long from = offset;
        long length = Math.min(partSize, size - offset);
        int number = parts.size() + 1;
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number).contentLength(length),
            RequestBody.fromContentProvider(() -> slice(file, from, length), length, stored.mimeType())).eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    } catch (RuntimeException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
      } catch (RuntimeException abortFailed) {
        e.addSuppressed(abortFailed); // the bucket's lifecycle rule for incomplete uploads cleans it up
      }
      throw e;
    }
  }

  /** {@code length} bytes of {@code file} from {@code from}, read as sent: no part is held in memory. */
  private static InputStream slice(Path file, long from, long length) {
    try {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(from);
      return new FilterInputStream(in) {
        private long left = length;

        @Override
        public int read() throws IOException {
          if (left <= 0) {
            return -1;
          }
          int b = super.read();
          left -= b < 0 ? 0 : 1;
          return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
          if (left <= 0) {
            return -1;
          }
          int n = super.read(buffer, off, (int) Math.min(len, left));
          left -= Math.max(n, 0);
          return n;
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Future<StoredMedia> put(ReadStream<Buffer> content, MediaDraft draft) {
    return staging.receive(content, draft)
        .compose(staged -> staging.into(this, staged));
  }

  @Override
  public Future<Optional<StoredMedia>> describe(String id) {
    if (!StoredMedia.isId(id)) {
      return Future.succeededFuture(Optional.empty());
    }
    return blocking(() -> {
      try {
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key(id)));
        return Optional.of(fromMetadata(id, head.contentType(), head.contentLength(), head.metadata()));
      } catch (NoSuchKeyException e) {
        return Optional.empty();
      } catch (S3Exception e) {
        if (e.statusCode() == 404) {
          return Optional.empty();
        }
        throw e;
      }
    });
  }

  @Override
  public Future<Optional<MediaContent>> open(String id) {
    if (!StoredMedia.isId(id)) {
      return Future.succeededFuture(Optional.empty());
    }
    return blocking(() -> presigner.presignGetObject(p -> p.signatureDuration(PRESIGNED_URL_LIFETIME)
            .getObjectRequest(g -> g.bucket(bucket).key(key(id)))).url().toString())
        .compose(url -> http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url))
            .compose(request -> request.send()))
        .recover(e -> Future.failedFuture(StoreFailures.of(e, "cannot read from bucket " + bucket)))
        .compose(response -> {
          response.pause();
          if (response.statusCode() == 404) {
            MediaDownloader.drop(response);
            return Future.succeededFuture(Optional.empty());
          }
          if (response.statusCode() != 200) {
            MediaDownloader.drop(response);
            return Future.failedFuture(MediaFailure.of(MediaFailure.Reason.STORE_UNAVAILABLE,
                "bucket " + bucket + " answered " + response.statusCode()).asException());
          }
          return Future.succeededFuture(Optional.of(new MediaContent(fromHeaders(id, response), response,
              () -> MediaDownloader.drop(response))));
        });
  }


  @Override
  public Future<Boolean> delete(String id) {
    return describe(id).compose(found -> found.isEmpty() ? Future.succeededFuture(false)
        : blocking(() -> {
          s3.deleteObject(b -> b.bucket(bucket).key(key(id)));
          return true;
        }));
  }

  /**
   * Lists the prefix and deletes objects last modified before {@code cutoff}, one by one (multi-object
   * delete needs a Content-MD5 some servers insist on). An S3 lifecycle rule expiring the prefix after
   * the retention period does the same inside the bucket, and may be used alongside.
   */
  @Override
  public Future<Integer> sweep(Instant cutoff) {
    return blocking(() -> {
      int deleted = 0;
      for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
        if (object.lastModified().isBefore(cutoff) && StoredMedia.isId(object.key().substring(prefix.length()))) {
          s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
          deleted++;
        }
      }
      return deleted;
    });
  }

  private String key(String id) {
    return prefix + id;
  }

  private static Map<String, String> metadata(StoredMedia media) {
    Map<String, String> meta = new HashMap<>();
    meta.put("kind", media.kind().wireName());
    meta.put("sha256", media.sha256());
    meta.put("stored-at", Long.toString(media.storedAt().toEpochMilli()));
    if (media.filename() != null) {
      // Header values are ASCII; file names are not.
      meta.put("filename", URLEncoder.encode(media.filename(), StandardCharsets.UTF_8));
    }
    if (media.sourceId() != null) {
      meta.put("source-id", media.sourceId());
    }
    return meta;
  }

  private static StoredMedia fromMetadata(String id, String contentType, long size, Map<String, String> meta) {
    String filename = meta.get("filename");
    String storedAt = meta.get("stored-at");
    return new StoredMedia(id, MediaKind.fromWireName(meta.get("kind")).orElse(MediaKind.DOCUMENT),
        MediaKind.baseType(contentType), size, meta.get("sha256"),
        filename == null ? null : URLDecoder.decode(filename, StandardCharsets.UTF_8), meta.get("source-id"),
        storedAt == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(storedAt)));
  }

  private static StoredMedia fromHeaders(String id, HttpClientResponse response) {
    MultiMap headers = response.headers();
    Map<String, String> meta = new HashMap<>();
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
      if (name.startsWith("x-amz-meta-")) {
        meta.put(name.substring("x-amz-meta-".length()), header.getValue());
      }
    }
    String length = headers.get("Content-Length");
    return fromMetadata(id, headers.get("Content-Type"), length == null ? -1 : Long.parseLong(length), meta);
  }

  /** Runs an SDK call on the S3 workers; its failures become {@code store_unavailable} (or {@code store_full}). */
  private <T> Future<T> blocking(Callable<T> call) {
    return workers.executeBlocking(call, false)
        .recover(e -> Future.failedFuture(StoreFailures.of(e, "bucket " + bucket)));
  }

  @Override
  public Future<Void> close() {
    return workers.close().eventually(() -> http.close()).andThen(done -> {
      s3.close();
      presigner.close();
    });
  }
}
