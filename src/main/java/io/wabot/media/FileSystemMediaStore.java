package io.wabot.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Media in a folder ({@code media.dir}): each file as {@code <dir>/<first two characters of its id>/<id>},
 * described by {@code <id>.json} beside it. Files arrive in {@code <dir>/.staging} and are moved into
 * place once complete, so a half-written file is never served. One node, or several sharing one
 * volume.
 *
 * <p>The disk is shared with the rest of the service: a file that would leave less than
 * {@code media.minFreeSpace} free is refused as {@code store_full} before a byte is written.
 */
public final class FileSystemMediaStore implements MediaStore {

  /** Staging files older than this are leftovers of a crash, and swept. */
  static final Duration STAGING_LEFTOVER_AGE = Duration.ofDays(1);

  private final Vertx vertx;
  private final Path root;
  private final Staging staging;
  private final long minFreeSpace;

  public FileSystemMediaStore(Vertx vertx, Path root, long minFreeSpace) {
    this.vertx = vertx;
    this.root = root.toAbsolutePath().normalize();
    this.staging = new Staging(vertx, this.root.resolve(".staging"));
    this.minFreeSpace = minFreeSpace;
  }

  @Override
  public String name() {
    return "filesystem";
  }

  public Path root() {
    return root;
  }

  @Override
  public Future<StoredMedia> putFile(Path file, MediaDraft draft) {
    String id = StoredMedia.newId();
    Path content = contentPath(id);
    return ensureRoom(draft.size())
        .compose(v -> fs().mkdirs(content.getParent().toString()))
        .compose(v -> fs().move(file.toString(), content.toString()))
        .compose(v -> {
          StoredMedia stored = StoredMedia.of(id, draft, Instant.now());
          return fs().writeFile(descriptionPath(id).toString(), stored.toJson().toBuffer()).map(stored);
        })
        .recover(e -> Future.failedFuture(StoreFailures.of(e, "cannot write to " + root)));
  }

  @Override
  public Future<StoredMedia> put(ReadStream<Buffer> content, MediaDraft draft) {
    return ensureRoom(draft.size())
        .compose(v -> staging.receive(content, draft))
        .compose(staged -> staging.into(this, staged));
  }

  @Override
  public Future<Optional<StoredMedia>> describe(String id) {
    if (!StoredMedia.isId(id)) {
      return Future.succeededFuture(Optional.empty());
    }
    return fs().readFile(descriptionPath(id).toString())
        .map(json -> Optional.of(StoredMedia.fromJson(new JsonObject(json))))
        .otherwise(e -> Optional.empty());
  }

  @Override
  public Future<Optional<MediaContent>> open(String id) {
    return describe(id).compose(described -> {
      if (described.isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      return fs().open(contentPath(id).toString(), new OpenOptions().setRead(true))
          .map(file -> Optional.of(new MediaContent(described.get(), file.pause(), file::close)))
          .otherwise(e -> Optional.empty());
    });
  }

  @Override
  public Future<Boolean> delete(String id) {
    if (!StoredMedia.isId(id)) {
      return Future.succeededFuture(false);
    }
    return vertx.executeBlocking(() -> {
      boolean existed = Files.deleteIfExists(contentPath(id));
      return Files.deleteIfExists(descriptionPath(id)) || existed;
    }, false);
  }

  @Override
  public Future<Integer> sweep(Instant cutoff) {
    return vertx.executeBlocking(() -> sweepBlocking(cutoff), false);
  }

  private int sweepBlocking(Instant cutoff) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int deleted = 0;
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path shard : shards) {
        if (shard.equals(staging.dir())) {
          deleteOlderThan(shard, Instant.now().minus(STAGING_LEFTOVER_AGE));
        } else {
          deleted += deleteOlderThan(shard, cutoff);
        }
      }
    }
    return deleted;
  }

  /** Deletes the files (and their descriptions) last written before {@code cutoff}; how many files. */
  private static int deleteOlderThan(Path dir, Instant cutoff) throws IOException {
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        boolean description = file.getFileName().toString().endsWith(".json");
        if (olderThan(file, cutoff) && Files.deleteIfExists(file)) {
          if (!description) {
            deleted++;
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".json"));
          }
        }
      }
    }
    return deleted;
  }

  private static boolean olderThan(Path file, Instant cutoff) {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      return modified.toInstant().isBefore(cutoff);
    } catch (NoSuchFileException e) {
      return false; // deleted meanwhile, with its file
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fails with {@code store_full} when the file would leave less than {@code media.minFreeSpace} free. */
  @Override
  public Future<Void> ensureRoom(long size) {
    return fs().mkdirs(root.toString())
        .compose(v -> fs().fsProps(root.toString()))
        .recover(e -> Future.failedFuture(StoreFailures.of(e, "cannot use " + root)))
        .compose(props -> {
          long free = props.usableSpace();
          if (free - Math.max(0, size) < minFreeSpace) {
            return Future.failedFuture(MediaFailure.of(MediaFailure.Reason.STORE_FULL, free + " bytes free in " + root
                + "; storing " + size + " more would leave less than media.minFreeSpace (" + minFreeSpace + ")")
                .asException());
          }
          return Future.succeededFuture();
        });
  }

  private Path contentPath(String id) {
    return root.resolve(id.substring(0, 2)).resolve(id);
  }

  private Path descriptionPath(String id) {
    return root.resolve(id.substring(0, 2)).resolve(id + ".json");
  }

  private FileSystem fs() {
    return vertx.fileSystem();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
