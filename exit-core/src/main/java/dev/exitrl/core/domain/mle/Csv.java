package dev.exitrl.core.domain.mle;

import java.util.ArrayList;
import java.util.List;

/**
 * Minimal CSV for imported competitions: comma-separated, first line the header, fields optionally in double quotes
 * (a doubled quote inside stands for one), no line breaks inside fields. An empty field is a missing value. A column
 * is numeric when every non-empty value parses as a number, else categorical.
 */
final class Csv {
    private Csv() {}

    record Parsed(List<String> header, List<String[]> rows) {}

    static Parsed parse(String text) {
        String[] lines = text.strip().split("\r?\n");
        if (lines.length < 2) {
            throw new IllegalArgumentException("CSV needs a header line and at least one row");
        }
        List<String> header = List.of(fields(lines[0]));
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = fields(lines[i]);
            if (f.length != header.size()) {
                throw new IllegalArgumentException(
                        "CSV row " + (i + 1) + " has " + f.length + " fields, the header " + header.size());
            }
            rows.add(f);
        }
        return new Parsed(header, rows);
    }

    static String[] fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString().strip());
        return out.toArray(String[]::new);
    }

    static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
