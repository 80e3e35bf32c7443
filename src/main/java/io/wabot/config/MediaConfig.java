package io.wabot.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Customers' media: where it is stored, for how long, how big it may be, and how the team fetches it.
 *
 * @param store             {@value #STORE_FILESYSTEM} (one node, or a shared volume) or {@value #STORE_S3} (several nodes)
 * @param dir               the filesystem store's folder; with S3, the staging folder downloads are verified in
 * @param retention         how long a stored file is kept; the sweeper deletes older ones
 * @param sweepInterval     how often the sweeper looks for expired files
 * @param maxBytes          the largest file accepted, whatever its type (Meta's own limits per type apply too)
 * @param minFreeSpace      free disk space the filesystem store keeps; a file that would eat into it is refused
 *                          as "store full" rather than filling the disk the rest of the service needs
 * @param requestTimeout    longest a Graph API media call (metadata, upload answer) may take, and the longest
 *                          pause in a download's byte stream
 * @param downloadTimeout   longest one whole download may take
 * @param allowInsecureUrls let downloads use plain http and private addresses (a proxy inside your network);
 *                          off, only https to public addresses is followed. Sandbox mode trusts its simulator.
 * @param signingKey        the HMAC key of {@code GET /media/{id}} links; null: derived from the app secret
 * @param urlLifetime       how long a signed media link stays valid
 * @param publicBaseUrl     the bot's public URL, to make absolute links (e.g. {@code https://bot.example.com}); null:
 *                          links are relative paths
 * @param uploadReuse       how long a media id returned by an upload is reused before uploading again (Meta keeps
 *                          uploaded media 30 days)
 * @param s3                the S3-compatible store's settings
 * @param downloadConcurrency downloads each node runs at once (the {@code media} queue's consumer)
 * @param turnWait          longest a customer's media message waits for its download before the conversation
 *                          goes on without the file (the flow learns it failed); the download's own retries end
 *                          sooner, this bounds a download job that was lost
 */
public record MediaConfig(
    String store,
    Path dir,
    Duration retention,
    Duration sweepInterval,
    long maxBytes,
    long minFreeSpace,
    Duration requestTimeout,
    Duration downloadTimeout,
    boolean allowInsecureUrls,
    Secret signingKey,
    Duration urlLifetime,
    String publicBaseUrl,
    Duration uploadReuse,
    S3 s3,
    int downloadConcurrency,
    Duration turnWait) {

  public static final String STORE_FILESYSTEM = "filesystem";
  public static final String STORE_S3 = "s3";
  /** Meta's largest media file (a document): 100 MB. */
  public static final long META_MAX_BYTES = 100L * 1024 * 1024;
  static final int MIN_SIGNING_KEY_LENGTH = 32;

  /**
   * An S3-compatible bucket (AWS S3, MinIO, Ceph, R2...).
   *
   * @param bucket          the bucket, which must exist
   * @param region          the bucket's region (any value for most S3-compatible servers)
   * @param endpoint        the server's URL; null for AWS S3 itself
   * @param pathStyle       address the bucket in the path ({@code host/bucket/key}), as MinIO and most
   *                        self-hosted servers want, rather than as a host name ({@code bucket.host/key})
   * @param prefix          prefix of every object key, e.g. {@code media/}
   * @param accessKeyId     null with {@code secretAccessKey} null: the AWS default credentials chain
   *                        (environment, profile, instance role)
   * @param secretAccessKey see {@code accessKeyId}
   * @param partSize        files larger than this are uploaded in parts of this size (S3 wants at least 5 MiB)
   * @param threads         S3 calls in flight at once (they block a thread each, never an event loop)
   */
  public record S3(String bucket, String region, String endpoint, boolean pathStyle, String prefix,
      Secret accessKeyId, Secret secretAccessKey, long partSize, int threads) {

    static S3 from(ConfigReader r, boolean required) {
      String bucket = r.optionalString("media.s3.bucket");
      if (required && bucket == null) {
        r.problem("media.s3.bucket", "is missing; it is required when MEDIA_STORE=s3", "");
      }
      Secret keyId = r.optionalSecret("media.s3.accessKeyId");
      Secret secretKey = r.optionalSecret("media.s3.secretAccessKey");
      if ((keyId == null) != (secretKey == null)) {
        r.problem(keyId == null ? "media.s3.accessKeyId" : "media.s3.secretAccessKey",
            "is missing; set both MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY, or neither to use the"
                + " AWS default credentials chain", "");
      }
      String prefix = r.optionalString("media.s3.prefix");
      return new S3(bucket,
          r.string("media.s3.region", "\"us-east-1\""),
          r.optionalHttpUrl("media.s3.endpoint", "http://127.0.0.1:9000"),
          r.bool("media.s3.pathStyle", false),
          prefix == null ? "" : prefix,
          keyId, secretKey,
          r.bytes("media.s3.partSize", 5L * 1024 * 1024, 1024L * 1024 * 1024, "8MiB"),
          r.integer("media.s3.threads", 1, 64, 4));
    }
  }

  static MediaConfig from(ConfigReader r) {
    String store = r.oneOf("media.store", Set.of(STORE_FILESYSTEM, STORE_S3), "\"" + STORE_FILESYSTEM + "\"");
    String dir = r.string("media.dir", "\"data/media\"");
    Secret signingKey = r.optionalSecret("media.signingKey");
    if (signingKey != null && signingKey.value().length() < MIN_SIGNING_KEY_LENGTH) {
      r.problem("media.signingKey", "must be at least " + MIN_SIGNING_KEY_LENGTH + " characters long", "");
      signingKey = null;
    }
    return new MediaConfig(
        store,
        dir == null ? null : Path.of(dir),
        r.duration("media.retention", Duration.ofHours(1), Duration.ofDays(3650), "30d"),
        r.duration("media.sweepInterval", Duration.ofSeconds(1), Duration.ofDays(1), "1h"),
        r.bytes("media.maxBytes", 1024, META_MAX_BYTES, "100MiB"),
        r.bytes("media.minFreeSpace", 0, Long.MAX_VALUE / 4, "512MiB"),
        r.duration("media.requestTimeout", Duration.ofMillis(100), Duration.ofMinutes(5), "30s"),
        r.duration("media.downloadTimeout", Duration.ofSeconds(1), Duration.ofHours(1), "10m"),
        r.bool("media.allowInsecureUrls", false),
        signingKey,
        r.duration("media.urlLifetime", Duration.ofMinutes(1), Duration.ofDays(30), "24h"),
        r.optionalHttpUrl("media.publicBaseUrl", "https://bot.example.com"),
        r.duration("media.uploadReuse", Duration.ofMinutes(1), Duration.ofDays(30), "29d"),
        S3.from(r, STORE_S3.equals(store)),
        r.integer("media.downloadConcurrency", 1, 256, 4),
        r.duration("media.turnWait", Duration.ofSeconds(1), Duration.ofDays(1), "30m"));
  }

  public boolean usesS3() {
    return STORE_S3.equals(store);
  }

  /** Where downloads are written and verified before they enter the store. */
  public Path stagingDir() {
    return dir.resolve(".staging");
  }

  public MediaConfig withDir(Path newDir) {
    return new MediaConfig(store, newDir, retention, sweepInterval, maxBytes, minFreeSpace, requestTimeout,
        downloadTimeout, allowInsecureUrls, signingKey, urlLifetime, publicBaseUrl, uploadReuse, s3, downloadConcurrency,
        turnWait);
  }
}
