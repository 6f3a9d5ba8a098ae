# Selects the shipped subset of the CMU Pronouncing Dictionary (see README.md beside the output).
import re, sys
src, out = sys.argv[1], sys.argv[2]
kept = []
with open(src, encoding="utf-8") as f:
    for line in f:
        word, phones = line.rstrip("\n").split(" ", 1)
        if re.fullmatch(r"[a-z]{3,12}", word):        # letters only, 3..12 long; "word(2)" variants drop out
            kept.append((word, phones))
with open(out, "w", encoding="utf-8") as f:
    for i, (word, phones) in enumerate(kept):
        if i % 28 == 0:                                # every 28th, in the dictionary's (alphabetical) order
            f.write(word + " " + phones + "\n")
