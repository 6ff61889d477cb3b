"""The drawn fish against EfficientNet-Lite0 looking at them, in one run.

Drawing the default fish (perch, striped bass and trout as anglers photograph
them, 224 px) must take less time than the pretrained backbone needs to look
at the same pictures, so that the new pictures never make a lesson slow.
Both sides use both cores; each keeps its best of three alternating rounds.
Run by `make bench`.
"""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, ".build", "debug", "shoal-fish-bench")

if __name__ == "__main__":
    out = subprocess.run([BENCH, "speed", "100"], check=True, capture_output=True, text=True).stdout
    print(out.strip())
