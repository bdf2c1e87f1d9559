import { useEffect, useState } from 'react';
import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import VscodeRadio from '@vscode-elements/react-elements/dist/components/VscodeRadio.js';
import VscodeRadioGroup from '@vscode-elements/react-elements/dist/components/VscodeRadioGroup.js';
import VscodeTextarea from '@vscode-elements/react-elements/dist/components/VscodeTextarea.js';
import VscodeSingleSelect from '@vscode-elements/react-elements/dist/components/VscodeSingleSelect.js';
import VscodeOption from '@vscode-elements/react-elements/dist/components/VscodeOption.js';
import type { Answer, DecideAnswers, Environment, TestId } from '../../src/core/decide';
import type { DecideViewState } from '../../src/shared/protocol';

const INFER = 'infer';
type Choice = Answer | typeof INFER;

/** Edit the description and the answers, then run the engine (in the host) again. */
export function AnswersForm(props: {
  view: DecideViewState;
  busy: boolean;
  onRun: (description: string, answers: DecideAnswers, environment: Environment) => void;
}) {
  const { view } = props;
  const initial = () => Object.fromEntries(view.tests.map((t) => [t.id, view.given[t.id] ?? INFER])) as Record<TestId, Choice>;
  const [choices, setChoices] = useState<Record<TestId, Choice>>(initial);
  const [description, setDescription] = useState(view.description);
  const [environment, setEnvironment] = useState<Environment>(view.environment);

  // a new state from the host resets the form to what it shows
  useEffect(() => {
    setChoices(initial());
    setDescription(view.description);
    setEnvironment(view.environment);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view]);

  const submit = () => {
    const answers: Record<string, Answer> = {};
    for (const [id, c] of Object.entries(choices)) if (c !== INFER) answers[id] = c;
    props.onRun(description, answers as DecideAnswers, environment);
  };

  return (
    <form
      className="decide__form"
      data-testid="answers-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label className="decide__label" htmlFor="decide-description">
        Description
      </label>
      <VscodeTextarea
        id="decide-description"
        className="decide__textarea"
        rows={3}
        value={description}
        placeholder="What are you designing? e.g. “order placed: charge the card once”"
        onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)}
      />
      <div className="decide__tests-form">
        {view.tests.map((t) => {
          const inferred = view.decision.tests.find((r) => r.id === t.id);
          const now = t.options.find((o) => o.answer === inferred?.answer)?.label ?? inferred?.answer;
          const inferredLabel =
            inferred?.source === 'suggested'
              ? `Suggested by the language model (now: ${now})`
              : inferred?.source === 'inferred'
                ? `Infer (now: ${now})`
                : 'Infer from description';
          return (
            <fieldset key={t.id} className="decide__fieldset" data-test={t.id}>
              <legend>
                {t.order}. {t.title}
              </legend>
              <div className="nf-muted decide__question">{t.question}</div>
              <VscodeRadioGroup variant="vertical">
                <VscodeRadio
                  name={`answer-${t.id}`}
                  value={INFER}
                  data-answer={INFER}
                  label={inferredLabel}
                  checked={choices[t.id] === INFER}
                  onChange={() => setChoices((c) => ({ ...c, [t.id]: INFER }))}
                />
                {t.options.map((o) => (
                  <VscodeRadio
                    key={o.answer}
                    name={`answer-${t.id}`}
                    value={o.answer}
                    data-answer={o.answer}
                    label={`${o.label} — ${o.explanation}`}
                    checked={choices[t.id] === o.answer}
                    onChange={() => setChoices((c) => ({ ...c, [t.id]: o.answer }))}
                  />
                ))}
              </VscodeRadioGroup>
            </fieldset>
          );
        })}
      </div>
      <div className="nf-row decide__form-footer">
        <label className="decide__label" htmlFor="decide-environment">
          Environment
        </label>
        <VscodeSingleSelect
          id="decide-environment"
          value={environment}
          onChange={(e) => setEnvironment((e.target as HTMLSelectElement).value === 'development' ? 'development' : 'production')}
        >
          <VscodeOption value="production">production (R3)</VscodeOption>
          <VscodeOption value="development">development (R1)</VscodeOption>
        </VscodeSingleSelect>
        <VscodeButton icon="play" disabled={props.busy} onClick={submit} data-testid="run">
          Decide again
        </VscodeButton>
      </div>
    </form>
  );
}
