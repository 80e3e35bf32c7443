package io.wabot.media;

/**
 * What is known about a verified file before it enters a {@link MediaStore}.
 *
 * @param kind     image, audio, video, document or sticker
 * @param mimeType its MIME type, without parameters
 * @param size     its length in bytes
 * @param sha256   the lowercase hex SHA-256 of its bytes
 * @param filename the customer's file name (documents), or null
 * @param sourceId the media id Meta gave it, or null for files the bot made
 */
public record MediaDraft(MediaKind kind, String mimeType, long size, String sha256, String filename, String sourceId) {
}
