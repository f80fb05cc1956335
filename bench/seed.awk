# Writes the seed conversation for bench/run.sh as JSON bodies for POST /memory/store.
# Deterministic (Park-Miller generator, exact in awk's doubles): the same run gets the same
# text. Each message is 2-3 clauses of everyday conversation, about 100-300 bytes and
# roughly 20 distinct words, so full-text search has a realistic corpus.
# Usage: awk -v messages=240 -v per_request=40 -v user=bench -v session=s1 -v out=DIR -f seed.awk
function rnd(n) { seed = (seed * 16807) % 2147483647; return int(seed / 2147483647 * n) + 1 }
function pick(list, count) { return list[rnd(count)] }
function lower_first(s) {
  if (s ~ /^(My|Our|The|We|Grandma)( |$)/) return tolower(substr(s, 1, 1)) substr(s, 2)
  return s
}
function clause(first,   s, k) {
  s = pick(subj, ns)
  if (!first) s = lower_first(s)
  s = s " " pick(verb, nv) " " pick(obj, no)
  k = rnd(3)
  if (k != 2) s = s " " pick(place, np)
  if (k != 1) s = s " " pick(when, nw)
  return s
}
function message(role,   text, k, n) {
  n = rnd(2)
  text = clause(1)
  for (k = 2; k <= n; k++) text = text pick(conn, nc) clause(0)
  text = text "."
  if (n == 1 || rnd(3) > 1) text = text " " pick(ending, ne)
  if (role == "assistant") text = pick(reply, nr) " " lower_first(text)
  return text
}
BEGIN {
  seed = 20261130
  ns = split("I|My sister Caroline|We|Melanie|My landlord|Our neighbour Tom|The team at work|My brother|Grandma|Jon|My partner|The kids", subj, "|")
  nv = split("visited|talked about|finally booked|spent the afternoon cleaning|started painting|fixed|cooked|read about|signed up for|bought|planned|lost|found|practiced with|rearranged|complained about", verb, "|")
  no = split("the old bicycle|a new guitar|dinner for six friends|the garden shed|a pottery class|the trip to Lisbon|a hiking route in the mountains|the quarterly budget report|a secondhand camera|the vegetable patch|our wedding photos|a marathon training plan|the leaking kitchen tap|a book about ancient Rome|the dog's vaccination appointment|a volunteer shift at the shelter|tickets for a jazz concert|the apartment lease|a sourdough starter|the coding bootcamp", obj, "|")
  np = split("in Lisbon|near the harbour|at the community centre|downtown|at my parents' house|in the office|by the lake|at the farmers market|on the train|in Barcelona|at the library|in the backyard", place, "|")
  nw = split("last spring|on Sunday morning|yesterday evening|two weeks ago|over the holidays|this weekend|after work|in early May|last night|before the summer", when, "|")
  nc = split(", and then |, because |; after that |, although |, and honestly |, while ", conn, "|")
  ne = split("It was more fun than I expected.|I still need to tell Melanie about it.|That cost a lot more than we planned.|Next time I want to bring the kids along.|We should definitely do it again soon.|It made me really happy for the whole week.|I am still a bit nervous about all of it.", ending, "|")
  nr = split("That sounds great, thanks for telling me:|Got it, I will remember that|Thanks for sharing, so|Noted:|Interesting, so", reply, "|")
  if (per_request < 1) per_request = 40
  file = ""; batch = 0
  for (i = 1; i <= messages; i++) {
    if ((i - 1) % per_request == 0) {
      if (file != "") { printf "]}\n" > file; close(file) }
      batch++
      file = sprintf("%s/batch-%04d.json", out, batch)
      printf "{\"user_id\":\"%s\",\"session_id\":\"%s\",\"messages\":[", user, session > file
      sep = ""
    }
    role = (i % 2 == 1) ? "user" : "assistant"
    printf "%s{\"role\":\"%s\",\"content\":\"%s\"}", sep, role, message(role) > file
    sep = ","
  }
  if (file != "") { printf "]}\n" > file; close(file) }
}
