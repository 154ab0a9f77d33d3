"""The peer's copies of diffbench's Java logic that need no torch: the GPU slug, the synthetic
tokenizer and the output check. Each is held value by value against its Java original by
diffbench.peer.PeerPortsTest (as are schedulers.py and results_csv.py), so they cannot drift apart."""
import re
import unicodedata

BOS, EOS, TOKENS, ORDINARY_IDS = 49406, 49407, 77, 49406  # CLIP's framing (diffbench.pipeline.text.PromptTokenizer)

PROMPT = "ghibli style, a fantasy landscape with castles"  # PipelineOptions.BENCHMARK_PROMPT

OUTPUT_CHECKS = ["non-finite", "flat", "ok"]  # diffbench.pipeline.OutputCheck, worst first

# java.lang.Character.isWhitespace: the space separators except the non-breaking ones, and these controls
_JAVA_CONTROL_SPACES = set("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f")
_NON_BREAKING_SPACES = set("\u00a0\u2007\u202f")


def gpu_slug(name):
    """The card's slug as diffbench.schema.GpuSlug makes it: 'NVIDIA GeForce RTX 4090' -> 'rtx-4090'."""
    words = re.sub(r"\b(nvidia|geforce|tesla)\b", " ", name.lower())
    return re.sub(r"[^a-z0-9]+", "-", words).strip("-")


def _is_whitespace(c):
    """Character.isWhitespace (str.isspace also takes U+0085 and the non-breaking spaces)."""
    return c in _JAVA_CONTROL_SPACES or (unicodedata.category(c) in ("Zs", "Zl", "Zp") and c not in _NON_BREAKING_SPACES)


def _is_letter_or_digit(c):
    """Character.isLetterOrDigit (str.isalnum also takes numerals such as '²' and '½')."""
    return unicodedata.category(c) in ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd")


def synthetic_ids(prompt, pad_id):
    """diffbench's SyntheticTokenizer: lower-cased words and marks, FNV-1a hashed into CLIP's ordinary ids."""
    text = prompt.lower()
    words, i = [], 0
    while i < len(text):
        c = text[i]
        if _is_whitespace(c):
            i += 1
            continue
        j = i + 1
        if _is_letter_or_digit(c):
            while j < len(text) and _is_letter_or_digit(text[j]):
                j += 1
        words.append(text[i:j])
        i = j
    ids = [pad_id] * TOKENS
    ids[0] = BOS
    body = []
    for w in words:
        h = 0xcbf29ce484222325
        for b in w.encode("utf-8"):
            h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
        body.append(h % ORDINARY_IDS)
    body = body[:TOKENS - 2]
    ids[1:1 + len(body)] = body
    ids[1 + len(body)] = EOS
    return ids


def output_check(images):
    """As OutputCheck.of, on a torch tensor: NaN or infinity anywhere, else one value everywhere, else ok."""
    if not bool(images.isfinite().all()):
        return "non-finite"
    return "ok" if bool(images.max() > images.min()) else "flat"
