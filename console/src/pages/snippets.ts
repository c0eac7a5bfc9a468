/**
 * @module console/pages/snippets
 * Copy-ready code for the Connect your app panel: the same chat request with curl, the official
 * OpenAI SDKs, LangChain and the Vercel AI SDK, filled in with this server's URL, a key and a model.
 */

/** What every snippet is filled in with. */
export interface SnippetInput {
  /** `http://host:port/v1` */
  baseUrl: string;
  apiKey: string;
  model: string;
}

/** One tab of the panel. */
export interface Snippet {
  id: string;
  label: string;
  /** What to install first, if anything. */
  install?: string;
  code: string;
}

/** Quotes a value for the languages below (JSON string syntax is valid in all of them). */
const quote = (value: string): string => JSON.stringify(value);

/** The snippets, in the order the tabs show them. */
export function buildSnippets({ baseUrl, apiKey, model }: SnippetInput): Snippet[] {
  const body = JSON.stringify({ model, messages: [{ role: "user", content: "Hello!" }] });
  return [
    {
      id: "curl",
      label: "curl",
      code: `curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer ${apiKey}" \\
  -H "Content-Type: application/json" \\
  -d '${body.replaceAll("'", "'\\''")}'`,
    },
    {
      id: "python",
      label: "Python",
      install: "pip install openai",
      code: `from openai import OpenAI

client = OpenAI(base_url=${quote(baseUrl)}, api_key=${quote(apiKey)})
reply = client.chat.completions.create(
    model=${quote(model)},
    messages=[{"role": "user", "content": "Hello!"}],
)
print(reply.choices[0].message.content)`,
    },
    {
      id: "node",
      label: "Node",
      install: "npm install openai",
      code: `import OpenAI from "openai";

const client = new OpenAI({ baseURL: ${quote(baseUrl)}, apiKey: ${quote(apiKey)} });
const reply = await client.chat.completions.create({
  model: ${quote(model)},
  messages: [{ role: "user", content: "Hello!" }],
});
console.log(reply.choices[0].message.content);`,
    },
    {
      id: "langchain",
      label: "LangChain",
      install: "pip install langchain-openai",
      code: `from langchain_openai import ChatOpenAI

llm = ChatOpenAI(base_url=${quote(baseUrl)}, api_key=${quote(apiKey)}, model=${quote(model)})
print(llm.invoke("Hello!").content)`,
    },
    {
      id: "vercel-ai",
      label: "Vercel AI SDK",
      install: "npm install ai @ai-sdk/openai-compatible",
      code: `import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText } from "ai";

const switchyard = createOpenAICompatible({ name: "switchyard", baseURL: ${quote(baseUrl)}, apiKey: ${quote(apiKey)} });
const { text } = await generateText({ model: switchyard(${quote(model)}), prompt: "Hello!" });
console.log(text);`,
    },
  ];
}
