"""Password hashing: Argon2id at OWASP's recommended cost.

Every officer of a bureau logs in within minutes of a spot test opening. Django's
default, PBKDF2 with 1,000,000 rounds, costs about half a second of CPU per login,
so 500 officers logging in keep two cores busy for over two minutes while the
answers of those already sitting wait behind them (bench/results/, issue 11).

Argon2id is the hash Django's documentation recommends first and OWASP's first
choice. Its "Password Storage Cheat Sheet" gives five configurations of equal
strength, from m=19 MiB, t=2 to m=7 MiB, t=5 (all p=1); we take the last: the
same CPU, and the least memory a worker keeps after hashing (glibc keeps the
freed block: +7 MB of RSS per worker instead of +20 MB, and the exam-day target
is 200 MB a worker). It is memory-hard, so a guesser's GPU gains far less on it
than on PBKDF2, and it costs about 26 ms of one core here. Existing PBKDF2 hashes still verify and are
re-hashed with Argon2id at the officer's next login (Django does this by itself
for any hasher listed after the first).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class BureauArgon2PasswordHasher(Argon2PasswordHasher):
    # Keeps Django's algorithm name "argon2": hashes stay readable by the stock
    # hasher, and any with other parameters are re-hashed at the next login.
    time_cost = 5
    memory_cost = 7 * 1024  # KiB
    parallelism = 1
