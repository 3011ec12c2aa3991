# Renders the test templates with Python's jinja2 set up as transformers' apply_chat_template sets it up
# (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, raise_exception, tojson =
# json.dumps(ensure_ascii=False)) and writes golden.json. Rerun: python3 render_golden.py (jinja2 3.1.x).
import json
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.exceptions import TemplateError

def raise_exception(message):
    raise TemplateError(message)

env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
env.filters["tojson"] = lambda x, indent=None: json.dumps(x, ensure_ascii=False, indent=indent)
env.globals["raise_exception"] = raise_exception

conversations = {
    "user": [{"role": "user", "content": "Make 24 from 3 4 6 8.\nEnd with 'Answer: <expression>'."}],
    "system_user": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "  Solve x + 1 = 3.  "}],
    "dialogue": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello! ünïcødé"},
                 {"role": "user", "content": "Improve: {\"a\": 1}"}],
    "tools": [{"role": "user", "content": "ls"}, {"role": "assistant", "content": "<tool_call>"},
              {"role": "tool", "content": "a.txt"}, {"role": "tool", "content": "b.txt"}],
    "not_alternating": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}],
}
golden = []
for name in ["qwen2", "llama3", "alternating"]:
    source = open(name + ".jinja").read()
    for conv, messages in conversations.items():
        for gen in (True, False):
            try:
                out = env.from_string(source).render(messages=messages, add_generation_prompt=gen,
                                                     bos_token="<s>", eos_token="</s>")
                golden.append({"template": name, "conversation": conv, "addGenerationPrompt": gen,
                               "messages": messages, "output": out})
            except TemplateError as e:
                golden.append({"template": name, "conversation": conv, "addGenerationPrompt": gen,
                               "messages": messages, "error": str(e)})
json.dump(golden, open("golden.json", "w"), ensure_ascii=False, indent=1)
print(len(golden), "renders")
