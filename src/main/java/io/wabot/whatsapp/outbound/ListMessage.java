package io.wabot.whatsapp.outbound;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An interactive list: a button that opens up to ten rows in all, grouped in sections. With more than
 * one section, every section needs a title.
 */
public record ListMessage(String to, String header, String body, String footer, String buttonLabel, List<Section> sections)
    implements OutboundMessage {

  /** A group of rows; the title is required when the list has several sections. */
  public record Section(String title, List<Row> rows) {
    public Section {
      Limits.maxLength(title, Limits.SECTION_TITLE, "section title");
      Limits.count(rows, 1, Limits.MAX_LIST_ROWS, "rows of section " + (title == null ? "" : "\"" + title + "\""));
      rows = List.copyOf(rows);
    }
  }

  /** One choice: the customer taps it and the bot receives {@code id}. */
  public record Row(String id, String title, String description) {
    public Row {
      Limits.requiredMax(id, Limits.ROW_ID, "row id");
      Limits.requiredMax(title, Limits.ROW_TITLE, "row title");
      Limits.maxLength(description, Limits.ROW_DESCRIPTION, "row description");
    }
  }

  public ListMessage {
    Limits.recipient(to);
    Limits.maxLength(header, Limits.HEADER_TEXT, "header");
    Limits.requiredMax(body, Limits.INTERACTIVE_BODY, "interactive body");
    Limits.maxLength(footer, Limits.FOOTER, "footer");
    Limits.requiredMax(buttonLabel, Limits.LIST_BUTTON_LABEL, "list button label");
    Limits.count(sections, 1, Limits.MAX_LIST_SECTIONS, "list sections");
    sections = List.copyOf(sections);
    int rows = 0;
    Set<String> ids = new HashSet<>();
    for (Section s : sections) {
      if (sections.size() > 1 && (s.title() == null || s.title().isBlank())) {
        throw new InvalidMessageException("a list with several sections needs a title on each section");
      }
      for (Row r : s.rows()) {
        rows++;
        if (!ids.add(r.id())) {
          throw new InvalidMessageException("row id \"" + r.id() + "\" is used twice; ids must be unique");
        }
      }
    }
    if (rows > Limits.MAX_LIST_ROWS) {
      throw new InvalidMessageException("list rows: " + rows + " given in all sections; WhatsApp allows at most "
          + Limits.MAX_LIST_ROWS + ". Remove some, or paginate.");
    }
  }

  /** A list with one untitled section. */
  public static ListMessage of(String to, String body, String buttonLabel, List<Row> rows) {
    return new ListMessage(to, null, body, null, buttonLabel, List.of(new Section(null, rows)));
  }

  @Override
  public String type() {
    return "interactive";
  }

  @Override
  public JsonObject content() {
    JsonArray sectionArray = new JsonArray();
    for (Section s : sections) {
      JsonArray rowArray = new JsonArray();
      for (Row r : s.rows()) {
        JsonObject row = new JsonObject().put("id", r.id()).put("title", r.title());
        if (r.description() != null && !r.description().isBlank()) {
          row.put("description", r.description());
        }
        rowArray.add(row);
      }
      JsonObject section = new JsonObject();
      if (s.title() != null && !s.title().isBlank()) {
        section.put("title", s.title());
      }
      sectionArray.add(section.put("rows", rowArray));
    }
    JsonObject interactive = new JsonObject().put("type", "list");
    if (header != null && !header.isBlank()) {
      interactive.put("header", new JsonObject().put("type", "text").put("text", header));
    }
    interactive.put("body", new JsonObject().put("text", body));
    if (footer != null && !footer.isBlank()) {
      interactive.put("footer", new JsonObject().put("text", footer));
    }
    return interactive.put("action", new JsonObject().put("button", buttonLabel).put("sections", sectionArray));
  }
}
