package diffbench.peer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one statement of an emitted TorchScript body: {@code x = expr}, {@code a, b, = expr},
 * {@code self.p = expr}, {@code return expr}, or a bare call ({@code xs.append(x)}). Only the
 * token kinds the emitted source uses are accepted; anything else is an {@link UnsupportedScriptException}.
 */
final class ScriptParser {

    /** A parsed statement: {@code kind} is ASSIGN, RETURN or EXPR; targets are set for ASSIGN. */
    record Statement(Kind kind, List<ScriptExpr> targets, boolean trailingComma, ScriptExpr value) {
        enum Kind { ASSIGN, RETURN, EXPR }
    }

    private final String line;
    private final List<String> tokens;
    private int pos;

    private ScriptParser(String line) {
        this.line = line;
        this.tokens = tokenize(line);
    }

    static Statement statement(String line) {
        ScriptParser p = new ScriptParser(line);
        Statement s = p.parseStatement();
        if (p.pos != p.tokens.size()) {
            throw p.error("unexpected '" + p.tokens.get(p.pos) + "'");
        }
        return s;
    }

    private Statement parseStatement() {
        if (peek("return")) {
            pos++;
            return new Statement(Statement.Kind.RETURN, List.of(), false, expr());
        }
        if (!hasTopLevelAssignment()) {
            return new Statement(Statement.Kind.EXPR, List.of(), false, expr());
        }
        List<ScriptExpr> targets = new ArrayList<>();
        boolean trailing = false;
        while (!peek("=")) {
            targets.add(postfix());
            trailing = false;
            if (peek(",")) {
                pos++;
                trailing = true;
            } else if (!peek("=")) {
                throw error("expected ',' or '=' in the assignment targets");
            }
        }
        pos++;
        return new Statement(Statement.Kind.ASSIGN, targets, trailing, expr());
    }

    /** An '=' outside brackets (inside them it names a keyword argument). */
    private boolean hasTopLevelAssignment() {
        int depth = 0;
        for (String t : tokens) {
            switch (t) {
                case "(", "[" -> depth++;
                case ")", "]" -> depth--;
                case "=" -> {
                    if (depth == 0) {
                        return true;
                    }
                }
                default -> { }
            }
        }
        return false;
    }

    private ScriptExpr expr() {
        if (peek("-")) {
            pos++;
            return new ScriptExpr.Neg(expr());
        }
        return postfix();
    }

    private ScriptExpr postfix() {
        ScriptExpr e = atom();
        while (pos < tokens.size()) {
            if (peek(".")) {
                pos++;
                e = new ScriptExpr.Attr(e, name());
            } else if (peek("(")) {
                pos++;
                e = arguments(e);
            } else if (peek("[")) {
                pos++;
                ScriptExpr index = expr();
                expect("]");
                e = new ScriptExpr.Index(e, index);
            } else {
                break;
            }
        }
        return e;
    }

    private ScriptExpr arguments(ScriptExpr function) {
        List<ScriptExpr> args = new ArrayList<>();
        Map<String, ScriptExpr> kwargs = new LinkedHashMap<>();
        while (!peek(")")) {
            if (pos + 1 < tokens.size() && isName(tokens.get(pos)) && tokens.get(pos + 1).equals("=")) {
                String key = name();
                pos++;
                kwargs.put(key, expr());
            } else if (!kwargs.isEmpty()) {
                throw error("positional argument after a keyword argument");
            } else {
                args.add(expr());
            }
            if (peek(",")) {
                pos++;
            } else if (!peek(")")) {
                throw error("expected ',' or ')' in an argument list");
            }
        }
        pos++;
        return new ScriptExpr.Call(function, args, kwargs);
    }

    private ScriptExpr atom() {
        if (pos >= tokens.size()) {
            throw error("unexpected end of line");
        }
        String t = tokens.get(pos++);
        if (t.equals("(") || t.equals("[")) {
            String close = t.equals("(") ? ")" : "]";
            List<ScriptExpr> items = new ArrayList<>();
            boolean comma = false;
            while (!peek(close)) {
                items.add(expr());
                comma = false;
                if (peek(",")) {
                    pos++;
                    comma = true;
                } else if (!peek(close)) {
                    throw error("expected ',' or '" + close + "'");
                }
            }
            pos++;
            if (t.equals("[")) {
                return new ScriptExpr.ListOf(items);
            }
            if (items.size() == 1 && !comma) {
                return items.get(0); // parentheses around one expression
            }
            return new ScriptExpr.TupleOf(items);
        }
        if (t.startsWith("\"")) {
            return new ScriptExpr.Str(t.substring(1, t.length() - 1));
        }
        if (Character.isDigit(t.charAt(0))) {
            return new ScriptExpr.Num(t);
        }
        if (isName(t)) {
            return new ScriptExpr.Name(t);
        }
        throw error("unexpected '" + t + "'");
    }

    private String name() {
        if (pos >= tokens.size() || !isName(tokens.get(pos))) {
            throw error("expected a name");
        }
        return tokens.get(pos++);
    }

    private void expect(String t) {
        if (!peek(t)) {
            throw error("expected '" + t + "'");
        }
        pos++;
    }

    private boolean peek(String t) {
        return pos < tokens.size() && tokens.get(pos).equals(t);
    }

    private static boolean isName(String t) {
        return t.matches("[A-Za-z_][A-Za-z0-9_]*");
    }

    private UnsupportedScriptException error(String what) {
        return new UnsupportedScriptException(what + " in: " + line);
    }

    private static List<String> tokenize(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ') {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < line.length() && (Character.isLetterOrDigit(line.charAt(j)) || line.charAt(j) == '_')) {
                    j++;
                }
                out.add(line.substring(i, j));
                i = j;
            } else if (Character.isDigit(c)) {
                Matcher m = Pattern.compile("[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?")
                        .matcher(line).region(i, line.length());
                m.lookingAt();
                out.add(m.group());
                i = m.end();
            } else if (c == '"') {
                int end = line.indexOf('"', i + 1);
                if (end < 0 || line.substring(i + 1, end).contains("\\")) {
                    throw new UnsupportedScriptException("unsupported string literal in: " + line);
                }
                out.add(line.substring(i, end + 1));
                i = end + 1;
            } else if ("()[],.=-".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else {
                throw new UnsupportedScriptException("unsupported character '" + c + "' in: " + line);
            }
        }
        return out;
    }
}
