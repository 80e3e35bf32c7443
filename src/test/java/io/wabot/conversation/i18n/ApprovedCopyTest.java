package io.wabot.conversation.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Keeps the document the engineering lead approves in step with the message files (CX-002, CX-003). */
class ApprovedCopyTest {

  @Test
  @DisplayName("docs/approved-copy.md is exactly what the message files render to (run scripts/approved-copy)")
  void documentIsCurrent() throws IOException {
    Map<String, String> files = ApprovedCopy.read(ApprovedCopy.DEFAULT_DIR);
    String expected = ApprovedCopy.render(files, ApprovedCopy.DEFAULT_DIR.toString());
    assertThat(Files.readString(ApprovedCopy.DEFAULT_OUT))
        .as("docs/approved-copy.md is out of date: run scripts/approved-copy and record a sign-off")
        .isEqualTo(expected);
  }

  @Test
  @DisplayName("every locale's every sentence is in the document, with the escalation direction filled in")
  void everyKeyEveryLocale() throws IOException {
    String document = Files.readString(ApprovedCopy.DEFAULT_OUT);
    assertThat(document).contains("| key | placeholders | en | es | es_MX |");
    assertThat(document).contains("| `error.generic` |").contains("| `fallback.not_understood` |");
    assertThat(document).as("{person} is rendered, so the lead reads what customers read")
        .contains("You can type *AGENT* anytime to talk to a person.").contains("*ASESOR*");
  }

  @Test
  @DisplayName("the sign-off record names a copy fingerprint in the format the release check reads")
  void signOffRecordReadable() throws IOException {
    String record = Files.readString(Path.of("docs", "copy-signoff.md"));
    assertThat(record).containsPattern("\\n\\| \\d{4}-\\d{2}-\\d{2} \\|[^|]*\\| `[0-9a-f]{16}` \\|");
  }

  @Test
  @DisplayName("the fingerprint changes with any change to any message file")
  void fingerprintFollowsTheFiles() {
    String before = ApprovedCopy.fingerprint(Map.of("en", "{\"a\": \"Hi\"}"));
    assertThat(ApprovedCopy.fingerprint(Map.of("en", "{\"a\": \"Hi!\"}"))).isNotEqualTo(before);
    assertThat(ApprovedCopy.fingerprint(Map.of("es", "{\"a\": \"Hi\"}"))).isNotEqualTo(before);
    assertThat(ApprovedCopy.fingerprint(Map.of("en", "{\"a\": \"Hi\"}"))).isEqualTo(before);
  }
}
