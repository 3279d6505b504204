import { ChatLog } from "./chat-log";
import { ExampleQuestions } from "./example-questions";
import { IngestProgressBar } from "./ingest-progress-bar";
import { QuestionForm } from "./question-form";

export function ChatPane({ documentId }: { documentId: string }) {
  return (
    <section className="pane chat-pane" aria-labelledby="chat-heading">
      <header className="pane-header">
        <h2 id="chat-heading">Questions and answers</h2>
      </header>
      <ChatLog documentId={documentId} />
      <IngestProgressBar documentId={documentId} />
      <ExampleQuestions documentId={documentId} />
      <QuestionForm documentId={documentId} />
    </section>
  );
}
