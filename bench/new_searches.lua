-- wrk script: every request a search the cache has not seen (issue 24's "new searches").
-- Two or three of parents' everyday words, combined by a counter that starts apart in each thread,
-- so no query repeats within a run (40 words: 64,000 combinations).
-- Usage: wrk -t2 -c8 -d20s --latency -s bench/new_searches.lua http://127.0.0.1:18909
local words = {
  "熱", "発熱", "熱が下がらない", "夜泣き", "寝かしつけ", "離乳食", "いつから", "予防接種",
  "予防注射", "ワクチン", "母子手帳", "妊婦健診", "つわり", "吐き気", "産後", "うつ",
  "マタニティブルー", "おしるし", "陣痛", "破水", "入院", "持ち物", "おやつ", "お菓子",
  "ことば", "遅い", "保育園", "感染症", "疲れた", "相談", "家事", "休めない",
  "赤ちゃん", "子ども", "体重", "食事", "眠れない", "ミルク", "湿疹", "下痢",
}

local function urlencode(text)
  return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

counter = 0 -- global: setup() below gives each thread its own starting point
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("counter", threads * 20000)
end

function request()
  counter = counter + 1
  local n = #words
  local a = words[counter % n + 1]
  local b = words[math.floor(counter / n) % n + 1]
  local c = words[math.floor(counter / (n * n)) % n + 1]
  local query = a .. " " .. b
  if counter % 2 == 0 then
    query = query .. " " .. c
  end
  return wrk.format("GET", "/search/?q=" .. urlencode(query))
end
