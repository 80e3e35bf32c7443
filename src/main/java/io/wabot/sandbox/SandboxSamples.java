package io.wabot.sandbox;

import io.vertx.core.buffer.Buffer;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The sample files a sandbox customer can send without a file of their own: a photo (a real PNG, drawn
 * here), a one-page PDF, and stand-ins for a voice note and a sticker that have the right leading bytes
 * but play or show nothing. Made once, a few KiB each.
 */
final class SandboxSamples {

  /** A file to offer as a customer's media. */
  record Sample(Buffer content, String mimeType, String filename) {
  }

  private static volatile Sample photo;

  private SandboxSamples() {
  }

  static Sample of(String kind) {
    return switch (kind) {
      case "image" -> photo();
      case "document" -> new Sample(pdf("Price list - sandbox sample"), "application/pdf", "price-list.pdf");
      case "audio" -> new Sample(Buffer.buffer(padded(new byte[] {'O', 'g', 'g', 'S', 0, 2}, 2048)), "audio/ogg", null);
      case "sticker" -> new Sample(webp(), "image/webp", null);
      default -> throw new IllegalArgumentException("no sample " + kind);
    };
  }

  private static Sample photo() {
    Sample made = photo;
    if (made == null) {
      BufferedImage image = new BufferedImage(320, 200, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(new Color(0xE7, 0xF6, 0xEC));
      g.fillRect(0, 0, 320, 200);
      g.setColor(new Color(0x25, 0xD3, 0x66));
      g.fillRoundRect(40, 60, 120, 80, 18, 18);
      g.setColor(new Color(0x33, 0x33, 0x33));
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
      g.drawString("Sample photo", 175, 95);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      g.drawString("a broken charger", 175, 118);
      g.dispose();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        ImageIO.write(image, "png", out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      made = new Sample(Buffer.buffer(out.toByteArray()), "image/png", null);
      photo = made;
    }
    return made;
  }

  /** A valid one-page PDF showing {@code text}, with a correct cross-reference table. */
  static Buffer pdf(String text) {
    String stream = "BT /F1 18 Tf 72 720 Td (" + text.replace("(", "").replace(")", "") + ") Tj ET";
    List<String> objects = List.of(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length " + stream.length() + " >>\nstream\n" + stream + "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      offsets.add(pdf.length());
      pdf.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
    }
    int xref = pdf.length();
    pdf.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f \n");
    offsets.forEach(offset -> pdf.append(String.format("%010d 00000 n \n", offset)));
    pdf.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref)
        .append("\n%%EOF\n");
    return Buffer.buffer(pdf.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static Buffer webp() {
    byte[] bytes = padded(new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'L'}, 1024);
    return Buffer.buffer(bytes);
  }

  private static byte[] padded(byte[] head, int size) {
    byte[] bytes = new byte[size];
    System.arraycopy(head, 0, bytes, 0, head.length);
    return bytes;
  }
}
